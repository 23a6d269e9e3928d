package segment

import (
	"bytes"
	"encoding/json"
)

// AppendJSON appends a as one JSON object (no newline) with the field
// names of the struct tags: "classes", "matrix", "rules", "unusual",
// "stats". Addresses are text, transports "tcp" or "udp", reasons their
// names, times RFC 3339 in UTC; empty lists are []; <, > and & are not
// escaped.
func (a *Advice) AppendJSON(b []byte) []byte {
	buf := bytes.NewBuffer(b)
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(a); err != nil { // plain fields only: cannot happen
		return b
	}
	out := buf.Bytes()
	return out[:len(out)-1] // Encode's newline
}
