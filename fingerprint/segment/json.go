package segment

import "encoding/json"

// AppendJSON appends a as one JSON object (no newline) with the field
// names of the struct tags: "classes", "matrix", "rules", "unusual",
// "stats". Addresses are text, transports "tcp" or "udp", reasons their
// names, times RFC 3339 in UTC; empty lists are [].
func (a *Advice) AppendJSON(b []byte) []byte {
	j, err := json.Marshal(a)
	if err != nil { // plain fields only: cannot happen
		return b
	}
	return append(b, j...)
}
