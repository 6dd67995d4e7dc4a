"""Reading the three (four) forms of a register into sheets, and writing outputs safely."""
