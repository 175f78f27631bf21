"""The law as pure functions (no database access). Each module encodes one area and
cites, next to each rule, the article it comes from; every result carries its
`Citation`s so the answer shown to an officer names the law it rests on."""
