package ul

import "strconv"

// The String methods of the wire codes look their names up in tables
// indexed by value.

// codeName returns names[v], or "" when v has no name.
func codeName(names []string, v int) string {
	if v >= 0 && v < len(names) {
		return names[v]
	}
	return ""
}

// nameOrUnknown returns the name of v, or "unknown": the text medtap's
// events show for the codes they name that PS3.8 does not define.
func nameOrUnknown(names []string, v int) string {
	if s := codeName(names, v); s != "" {
		return s
	}
	return "unknown"
}

// nameOrValue returns the name of v, or a form like "Priority(3)" (with
// hex, "ItemType(0x77)"), typ being the type's name.
func nameOrValue(names []string, v int, typ string, hex bool) string {
	if s := codeName(names, v); s != "" {
		return s
	}
	if hex {
		return typ + "(0x" + strconv.FormatUint(uint64(v), 16) + ")"
	}
	return typ + "(" + strconv.Itoa(v) + ")"
}

// codeNames returns tables[v], or nil.
func codeNames(tables [][]string, v int) []string {
	if v >= 0 && v < len(tables) {
		return tables[v]
	}
	return nil
}
