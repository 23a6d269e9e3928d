package devdb

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// p0f TCP signatures: ver:ittl:olen:mss:wsize,scale:olayout:quirks:pclass
// (p0f 3 README, section "TCP signatures"). The database of p0f itself
// (p0f.fp, LGPL-2.1) is not part of medtap: [LoadP0F] reads a copy the user
// has, and database files may carry signatures of their own with the p0f
// match.

// p0fMaxDist is p0f's MAX_DIST: the most hops between a signature's
// initial TTL and the TTL seen.
const p0fMaxDist = 35

const (
	wsAny uint8 = iota
	wsFixed
	wsMSS // mss*N
	wsMTU // mtu*N
	wsMod // %N
)

type p0fSig struct {
	ver     int8 // 4, 6, or 0 for any
	ittl    int
	badTTL  bool // "64-": the TTL is random below ittl
	olen    int
	mss     int // -1: any
	wsType  uint8
	wsVal   int
	scale   int // -1: any
	olayout string
	quirks  string
	pclass  int8 // -1 any, 0 zero, 1 non-zero
}

var errP0F = errors.New("want ver:ittl:olen:mss:wsize,scale:olayout:quirks:pclass")

func p0fInt(s string, lo, hi int) (int, bool) {
	if s == "" || len(s) > 6 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, n >= lo && n <= hi
}

// parseP0FSig parses one p0f TCP signature.
func parseP0FSig(s string) (*p0fSig, error) {
	f := strings.Split(s, ":")
	if len(f) != 8 {
		return nil, errP0F
	}
	sig := &p0fSig{}
	var ok bool
	switch f[0] {
	case "4":
		sig.ver = 4
	case "6":
		sig.ver = 6
	case "*":
	default:
		return nil, fmt.Errorf("version %q: want 4, 6 or *", f[0])
	}
	ttl := f[1]
	if strings.HasSuffix(ttl, "-") {
		sig.badTTL, ttl = true, ttl[:len(ttl)-1]
	}
	if sig.ittl, ok = p0fInt(ttl, 1, 255); !ok {
		return nil, fmt.Errorf("initial TTL %q", f[1])
	}
	if sig.olen, ok = p0fInt(f[2], 0, 255); !ok {
		return nil, fmt.Errorf("options length %q", f[2])
	}
	sig.mss = -1
	if f[3] != "*" {
		if sig.mss, ok = p0fInt(f[3], 0, 65535); !ok {
			return nil, fmt.Errorf("mss %q", f[3])
		}
	}
	ws, sc, found := strings.Cut(f[4], ",")
	if !found {
		return nil, fmt.Errorf("window %q: want wsize,scale", f[4])
	}
	switch {
	case ws == "*":
	case strings.HasPrefix(ws, "mss*"):
		sig.wsType = wsMSS
		sig.wsVal, ok = p0fInt(ws[4:], 1, 65535)
	case strings.HasPrefix(ws, "mtu*"):
		sig.wsType = wsMTU
		sig.wsVal, ok = p0fInt(ws[4:], 1, 65535)
	case strings.HasPrefix(ws, "%"):
		sig.wsType = wsMod
		sig.wsVal, ok = p0fInt(ws[1:], 1, 65535)
	default:
		sig.wsType = wsFixed
		sig.wsVal, ok = p0fInt(ws, 0, 65535)
	}
	if ws != "*" && !ok {
		return nil, fmt.Errorf("window size %q", ws)
	}
	sig.scale = -1
	if sc != "*" {
		if sig.scale, ok = p0fInt(sc, 0, 255); !ok {
			return nil, fmt.Errorf("window scale %q", sc)
		}
	}
	sig.olayout, sig.quirks = f[5], f[6]
	switch f[7] {
	case "*":
		sig.pclass = -1
	case "0":
	case "+":
		sig.pclass = 1
	default:
		return nil, fmt.Errorf("payload class %q: want 0, + or *", f[7])
	}
	return sig, nil
}

// p0fRaw is a raw_sig as p0f prints it for a packet seen: views into the
// evidence, parsed without allocating.
type p0fRaw struct {
	ver     int8
	ttl     int // the TTL seen
	olen    int
	mss     int // -1: none
	win     int // -1: unknown
	scale   int
	olayout string
	quirks  string
	payload bool
}

func (r *p0fRaw) parse(s string) bool {
	var f [8]string
	for i := 0; i < 7; i++ {
		j := strings.IndexByte(s, ':')
		if j < 0 {
			return false
		}
		f[i], s = s[:j], s[j+1:]
	}
	f[7] = s
	var ok bool
	switch f[0] {
	case "4":
		r.ver = 4
	case "6":
		r.ver = 6
	default:
		return false
	}
	ttl, _, _ := strings.Cut(f[1], "+")
	if r.ttl, ok = p0fInt(strings.TrimSuffix(ttl, "-"), 0, 255); !ok {
		return false
	}
	if r.olen, ok = p0fInt(f[2], 0, 255); !ok {
		return false
	}
	r.mss = -1
	if f[3] != "*" {
		if r.mss, ok = p0fInt(f[3], 0, 65535); !ok {
			return false
		}
	}
	ws, sc, found := strings.Cut(f[4], ",")
	if !found {
		return false
	}
	r.win = -1
	switch {
	case strings.HasPrefix(ws, "mss*"):
		if k, ok := p0fInt(ws[4:], 0, 65535); ok && r.mss >= 0 {
			r.win = k * r.mss
		}
	case strings.HasPrefix(ws, "mtu*"):
		if k, ok := p0fInt(ws[4:], 0, 65535); ok && r.mss >= 0 {
			r.win = k * (r.mss + r.hdr())
		}
	default:
		r.win, _ = p0fInt(ws, 0, 1<<20)
	}
	r.scale = -1
	if sc != "*" {
		if r.scale, ok = p0fInt(sc, 0, 255); !ok {
			return false
		}
	}
	r.olayout, r.quirks = f[5], f[6]
	switch f[7] {
	case "0":
	case "+":
		r.payload = true
	default:
		return false
	}
	return true
}

// hdr is the IP and TCP header size that separates MTU from MSS.
func (r *p0fRaw) hdr() int {
	if r.ver == 6 {
		return 60
	}
	return 40
}

// match reports whether the signature matches the packet, as p0f's exact
// match does (the layout is compared by the index).
func (s *p0fSig) match(r *p0fRaw) bool {
	if s.ver != 0 && s.ver != r.ver || s.olen != r.olen || s.quirks != r.quirks {
		return false
	}
	if r.ttl > s.ittl || !s.badTTL && s.ittl-r.ttl > p0fMaxDist {
		return false
	}
	if s.mss >= 0 && s.mss != r.mss || s.scale >= 0 && s.scale != r.scale {
		return false
	}
	if s.pclass >= 0 && (s.pclass == 1) != r.payload {
		return false
	}
	switch s.wsType {
	case wsFixed:
		return r.win == s.wsVal
	case wsMSS:
		return r.mss > 0 && r.win == s.wsVal*r.mss
	case wsMTU:
		return r.mss > 0 && r.win == s.wsVal*(r.mss+r.hdr())
	case wsMod:
		return r.win >= 0 && r.win%s.wsVal == 0
	}
	return true
}

// P0F weights: a label of type "s" (specific) and "g" (generic).
const (
	P0FWeightSpecific = 40
	P0FWeightGeneric  = 25
)

// LoadP0F reads a p0f 3 fingerprint database (p0f.fp, as Debian's p0f
// installs at /etc/p0f/p0f.fp) and returns a database with one entry per
// label of its [tcp:request] and [tcp:response] sections, each with a p0f
// test for every signature of the label (field p0f, weight
// [P0FWeightSpecific] or [P0FWeightGeneric]). An operating system label
// ("s:win:Windows:XP") becomes an entry of kind os whose OS is the name and
// flavour ("Windows XP"); an application label (class "!") one of kind
// software. Entry IDs are "p0f.request." or "p0f.response." and the label's
// name and flavour in lower case with other characters as '-'. The other
// sections (MTU, HTTP) are skipped. name is used in errors and sources.
func LoadP0F(r io.Reader, name string) (*Database, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxFileSize {
		return nil, &Error{File: name, Line: 1, Column: 1, Offset: MaxFileSize, Err: ErrSyntax, Msg: "file too long"}
	}
	db := &Database{ids: map[string]*Entry{}}
	var (
		section string
		cur     *Entry
		weight  int
	)
	flush := func() {
		if cur != nil && len(cur.Tests) > 0 {
			finishTests(cur)
			db.entries = append(db.entries, cur)
			db.ids[cur.ID] = cur
		}
		cur = nil
	}
	line := 0
	for off := 0; off < len(b); {
		end := bytes.IndexByte(b[off:], '\n')
		next := off + end + 1
		if end < 0 {
			end, next = len(b)-off, len(b)
		}
		line++
		lineOff := off
		text := strings.TrimRight(string(b[off:off+end]), "\r \t")
		off = next
		errAt := func(col int, format string, args ...any) error {
			return &Error{File: name, Line: line, Column: col, Offset: int64(lineOff + col - 1), Err: ErrSyntax,
				Msg: fmt.Sprintf(format, args...)}
		}
		lead := len(text) - len(strings.TrimLeft(text, " \t"))
		t := text[lead:]
		if t == "" || t[0] == ';' {
			continue
		}
		if t[0] == '[' {
			if !strings.HasSuffix(t, "]") {
				return nil, errAt(lead+1, "bad section header")
			}
			flush()
			section = t[1 : len(t)-1]
			continue
		}
		key, val, ok := strings.Cut(t, "=")
		if !ok {
			return nil, errAt(lead+1, "want key = value")
		}
		key = strings.TrimSpace(key)
		vcol := lead + len(key) + 1
		for vcol < len(text) && text[vcol-1] != '=' {
			vcol++
		}
		vcol++ // past '='
		for vcol <= len(text) && isSpace(text[vcol-1]) {
			vcol++
		}
		val = strings.TrimSpace(val)
		if section != "tcp:request" && section != "tcp:response" {
			continue
		}
		switch key {
		case "label":
			flush()
			lf := strings.SplitN(val, ":", 4)
			if len(lf) != 4 || lf[0] != "s" && lf[0] != "g" || lf[2] == "" {
				return nil, errAt(vcol, "label %q: want type:class:name:flavor", val)
			}
			weight = P0FWeightSpecific
			if lf[0] == "g" {
				weight = P0FWeightGeneric
			}
			dir := strings.TrimPrefix(section, "tcp:")
			id := "p0f." + dir + "." + slug(lf[2]+" "+lf[3])
			base := id
			for n := 2; db.ids[id] != nil || (cur != nil && cur.ID == id); n++ {
				id = base + "." + strconv.Itoa(n)
			}
			what := strings.TrimSpace(lf[2] + " " + lf[3])
			cur = &Entry{ID: id, Class: ClassUnknown, File: name, Line: line,
				Sources: []string{fmt.Sprintf("%s line %d: label = %s", name, line, val)}}
			if lf[1] == "!" {
				cur.Kind, cur.Product = KindSoftware, what
			} else {
				cur.Kind, cur.OS = KindOS, what
			}
			if dir == "response" {
				cur.Notes = []string{"SYN+ACK signature: the device is the server"}
			}
		case "sig":
			if cur == nil {
				return nil, errAt(lead+1, "sig before a label")
			}
			sig, err := parseP0FSig(val)
			if err != nil {
				return nil, errAt(vcol, "signature: %v", err)
			}
			if len(cur.Tests) == MaxTests {
				return nil, errAt(lead+1, "label with more than %d signatures", MaxTests)
			}
			cur.Tests = append(cur.Tests, Test{Field: FieldP0F, Op: OpP0F, Value: val, Weight: weight, Line: line, sig: sig})
		}
	}
	flush()
	db.files = []File{{Name: name, Version: "p0f", Entries: len(db.entries)}}
	db.idx = buildIndex(db.entries)
	return db, nil
}

func slug(s string) string {
	b := make([]byte, 0, len(s))
	dash := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.':
			b = append(b, c)
			dash = false
		case c >= 'A' && c <= 'Z':
			b = append(b, c+'a'-'A')
			dash = false
		default:
			if !dash {
				b = append(b, '-')
				dash = true
			}
		}
	}
	return strings.TrimSuffix(string(b), "-")
}
