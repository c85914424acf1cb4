"""The ground floor: facts and errors that every package may use (no project imports)."""
