"""Building blocks the pages share: period picker, KPI tiles, exports, the conversation view."""
