package segment

import (
	"bytes"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode"
	"unicode/utf8"
)

// AppendText appends a as tables for people to read: the classes and their
// devices, the matrix of flow counts between classes, the services of each
// class pair, the allow-list and the unusual crossings. Names are cut to 32
// characters and anything unprintable in them is shown as '?'.
func (a *Advice) AppendText(b []byte) []byte {
	var buf bytes.Buffer
	buf.Write(b)
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
	row := func(cells ...string) {
		tw.Write([]byte("  " + strings.Join(cells, "\t") + "\n"))
	}
	section := func(title string) {
		tw.Flush()
		buf.WriteString("\n" + title + "\n")
	}
	s := a.Stats
	buf.WriteString("Segmentation advice: " + utoa(s.Flows) + " flows, " + utoa(uint64(s.Tuples)) + " tuples held, " +
		utoa(s.Evicted) + " evicted (" + utoa(s.EvictedFlows) + " flows)\n")

	section("Classes")
	row("CLASS", "ADDRESS", "MAC", "NAME")
	for _, cm := range a.Classes {
		for _, m := range cm.Members {
			row(textName(string(cm.Class)), m.Addr.String(), m.MAC, textName(m.Name))
		}
	}

	section("Communication matrix (flows from the client class down to the server class across; ! marks unusual flows)")
	var clients, servers []Class
	for _, c := range a.Matrix {
		clients = appendClass(clients, c.Client)
		servers = appendClass(servers, c.Server)
	}
	sortClasses(servers)
	head := []string{""}
	for _, sc := range servers {
		head = append(head, textName(string(sc)))
	}
	row(head...)
	for _, cc := range clients {
		line := []string{textName(string(cc))}
		for _, sc := range servers {
			line = append(line, matrixCell(a.Matrix, cc, sc))
		}
		row(line...)
	}

	section("Services by class pair")
	row("CLIENT", "SERVER", "SERVICE", "FLOWS", "BYTES", "")
	for _, c := range a.Matrix {
		for _, sv := range c.Services {
			mark := ""
			if !sv.Expected {
				mark = "unusual"
			}
			row(textName(string(c.Client)), textName(string(c.Server)), serviceText(sv.Protocol, sv.Transport, sv.Port),
				utoa(sv.Flows), byteText(sv.Bytes), mark)
		}
	}

	rules := " rules)"
	if len(a.Rules) == 1 {
		rules = " rule)"
	}
	section("Allow-list (" + utoa(uint64(len(a.Rules))) + rules)
	row("SOURCE", "DESTINATION", "SERVICE", "PROTOCOLS", "FLOWS")
	for _, r := range a.Rules {
		row(endpointText(r.Source), endpointText(r.Destination), portText(r.Transport, r.Port),
			textName(strings.Join(r.Protocols, ",")), utoa(r.Flows))
	}

	section("Unusual crossings (" + utoa(uint64(len(a.Unusual))) + ")")
	row("CLIENT", "SERVER", "SERVICE", "FLOWS", "REASON", "WHY")
	for _, x := range a.Unusual {
		row(endpointText(x.Client), endpointText(x.Server), serviceText(x.Protocol, x.Transport, x.Port),
			utoa(x.Flows), x.Reason.String(), textLine(x.Why))
	}
	tw.Flush()
	out := buf.Bytes()
	// tabwriter pads empty last cells: trim the lines of what was appended.
	w := len(b)
	for r := len(b); r < len(out); {
		end := bytes.IndexByte(out[r:], '\n')
		if end < 0 {
			end = len(out) - r
		}
		line := bytes.TrimRight(out[r:r+end], " ")
		w += copy(out[w:], line)
		r += end
		if r < len(out) {
			out[w] = '\n'
			w++
			r++
		}
	}
	return out[:w]
}

func utoa(v uint64) string { return strconv.FormatUint(v, 10) }

func appendClass(cs []Class, c Class) []Class {
	for _, k := range cs {
		if k == c {
			return cs
		}
	}
	return append(cs, c)
}

func sortClasses(cs []Class) {
	for i := 1; i < len(cs); i++ { // insertion sort: a few classes
		for j := i; j > 0 && compareClass(cs[j-1], cs[j]) > 0; j-- {
			cs[j-1], cs[j] = cs[j], cs[j-1]
		}
	}
}

func matrixCell(m []Cell, client, server Class) string {
	for _, c := range m {
		if c.Client == client && c.Server == server {
			s := utoa(c.Flows)
			for _, sv := range c.Services {
				if !sv.Expected {
					return s + "!"
				}
			}
			return s
		}
	}
	return "-"
}

func portText(t Transport, port uint16) string {
	if !t.hasPorts() {
		return t.String()
	}
	return t.String() + "/" + strconv.Itoa(int(port))
}

func serviceText(proto string, t Transport, port uint16) string {
	return service{protocol: textName(proto), transport: t, port: port}.String()
}

func endpointText(e Endpoint) string {
	if e.IsClass() {
		return "class " + textName(string(e.Class))
	}
	s := e.Addr.String()
	if e.Name != "" {
		s += " " + textName(e.Name)
	}
	return s + " (" + textName(string(e.Class)) + ")"
}

// byteText is a byte count for people: "512 B", "3.4 kB", "1.2 MB".
func byteText(n uint64) string {
	if n < 1000 {
		return utoa(n) + " B"
	}
	units := []string{"kB", "MB", "GB", "TB", "PB", "EB"}
	v := float64(n) / 1000
	u := 0
	for v >= 999.95 && u < len(units)-1 {
		v /= 1000
		u++
	}
	return strconv.FormatFloat(v, 'f', 1, 64) + " " + units[u]
}

// textName is s cut to 32 characters with unprintable ones (and tabs) as
// '?', for a table cell.
func textName(s string) string { return clean(s, 32) }

// textLine is s with unprintable characters as '?', cut to 200.
func textLine(s string) string { return clean(s, 200) }

func clean(s string, max int) string {
	ok := len(s) <= max
	for _, r := range s {
		if !ok || r == utf8.RuneError || !unicode.IsPrint(r) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n == max {
			b.WriteString("...")
			break
		}
		if r == utf8.RuneError || !unicode.IsPrint(r) {
			r = '?'
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}
