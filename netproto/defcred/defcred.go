// Package defcred is a built-in list of vendor default credentials of
// medical and IT devices (defaults.txt, embedded), each entry naming its
// public source: CISA medical advisories, vendor manuals and vendor notices.
// Passive decoders ask [IsDefault] whether a user name and password they
// saw in clear text is such a pair; a password is only compared, never
// kept.
package defcred

import (
	_ "embed"
	"iter"
	"strings"
)

//go:embed defaults.txt
var defaults string

// Entry is one default credential of the list.
type Entry struct {
	User, Password string
	Product        string // the device or software that ships it
	Source         string // the public document that names it
}

var (
	entries []Entry
	pairs   = map[string]struct{}{}
	maxKey  int
)

func init() {
	for line := range strings.Lines(defaults) {
		line = strings.TrimRight(line, "\r\n")
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 4 || f[0] == "" || f[3] == "" {
			panic("defcred: malformed line in defaults.txt: " + line)
		}
		e := Entry{User: f[0], Password: f[1], Product: f[2], Source: f[3]}
		entries = append(entries, e)
		k := e.User + "\x00" + e.Password
		pairs[k] = struct{}{}
		maxKey = max(maxKey, len(k))
	}
}

// IsDefault reports whether user and password (compared exactly) are a
// pair of the list. It never keeps its arguments and never allocates.
func IsDefault(user, password []byte) bool {
	n := len(user) + 1 + len(password)
	if n > maxKey || n > 128 {
		return false
	}
	var buf [128]byte
	copy(buf[:], user)
	buf[len(user)] = 0
	copy(buf[len(user)+1:], password)
	_, ok := pairs[string(buf[:n])]
	clear(buf[:n])
	return ok
}

// Entries yields every entry of the list, in its order.
func Entries() iter.Seq[Entry] {
	return func(yield func(Entry) bool) {
		for _, e := range entries {
			if !yield(e) {
				return
			}
		}
	}
}
