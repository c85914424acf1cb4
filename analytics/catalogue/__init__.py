"""One catalogue per fact: what each KPI is called and measured against (``kpis``), the Russian
names of every stored enum value (``labels``) and how numbers, dates and durations are written
(``formats``).  The dashboard and the reports both read from here; nothing here reads the store."""
