"""The legal facts of a register, each computed once (docs/architecture.md).

Checks, the route classifier, the records and the report all read these; none of them decides
a fact again. One module per subject:

- `flows`: item classes, parties in a foreign country, the provision log grouped into events;
- `parties`: whether a party's (or our own) identity is stated as a record needs it;
- `contracts`: whether an outsourcing contract is in force, and when its audit falls due;
- `joint_uses`: the five matters a joint use publishes, and which are missing;
- `publication`: what the public texts hold (the Art 32 matters, the foreign countries where data
  is handled, the content hash of each text) and what is missing (docs/publish.md).

A new table's facts go in a module of their own here; its rules go in a check family
(`register/checks/`), its outputs beside the other writers.
"""
