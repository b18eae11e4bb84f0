package audit

// HashOf lets tests build rows the way Append does.
var HashOf = hashOf
