package devdb

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
)

// MaxFileSize caps what [Load] reads from one file.
const MaxFileSize = 16 << 20

// Load parses one database file (the format is described in the package
// documentation). name is used in errors and in [Entry.File]. An error is
// an [*Error] naming the file, line and column; the first error stops the
// load.
func Load(r io.Reader, name string) (*Database, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxFileSize {
		return nil, &Error{File: name, Line: 1, Column: 1, Offset: MaxFileSize, Err: ErrSyntax,
			Msg: fmt.Sprintf("file longer than %d bytes", MaxFileSize)}
	}
	db, err := parse(b, name)
	if err != nil {
		return nil, err
	}
	db.idx = buildIndex(db.entries)
	return db, nil
}

// parser holds the state of one parse.
type parser struct {
	name    string
	db      *Database
	version string
	cur     *Entry
	line    int
	lineOff int // offset of the line's first byte
	text    string
}

func (p *parser) errAt(col int, sentinel error, format string, args ...any) error {
	return &Error{File: p.name, Line: p.line, Column: col, Offset: int64(p.lineOff + col - 1),
		Err: sentinel, Msg: fmt.Sprintf(format, args...)}
}

// parse parses b without building the index.
func parse(b []byte, name string) (*Database, error) {
	p := &parser{name: name, db: &Database{ids: map[string]*Entry{}}}
	for off := 0; off < len(b); {
		end := bytes.IndexByte(b[off:], '\n')
		next := off + end + 1
		if end < 0 {
			end = len(b) - off
			next = len(b)
		}
		p.line++
		p.lineOff = off
		line := b[off : off+end]
		if len(line) > MaxLineLen {
			return nil, p.errAt(MaxLineLen+1, ErrSyntax, "line longer than %d bytes", MaxLineLen)
		}
		line = bytes.TrimSuffix(line, []byte{'\r'})
		p.text = string(line)
		if err := p.parseLine(); err != nil {
			return nil, err
		}
		off = next
	}
	if err := p.finish(); err != nil {
		return nil, err
	}
	if p.version == "" {
		p.line, p.lineOff = 1, 0
		return nil, p.errAt(1, ErrSyntax, "no version line")
	}
	p.db.files = []File{{Name: name, Version: p.version, Entries: len(p.db.entries)}}
	return p.db, nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' }

// field returns the token starting at or after byte i of the line, its
// column, and the index after it.
func (p *parser) token(i int) (tok string, col, next int) {
	s := p.text
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	j := i
	for j < len(s) && !isSpace(s[j]) {
		j++
	}
	return s[i:j], i + 1, j
}

// rest returns the rest of the line after byte i, spaces trimmed, and its
// column.
func (p *parser) rest(i int) (string, int) {
	s := p.text
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return strings.TrimRight(s[i:], " \t"), i + 1
}

func (p *parser) parseLine() error {
	for i := 0; i < len(p.text); i++ {
		c := p.text[i]
		if c < ' ' && c != '\t' || c == 0x7f {
			return p.errAt(i+1, ErrSyntax, "control character %#02x", c)
		}
	}
	kw, col, next := p.token(0)
	if kw == "" || kw[0] == '#' {
		return nil
	}
	switch kw {
	case "version":
		v, vcol := p.rest(next)
		if p.version != "" {
			return p.errAt(col, ErrSyntax, "second version line")
		}
		if p.cur != nil || len(p.db.entries) > 0 {
			return p.errAt(col, ErrSyntax, "version must come before the first entry")
		}
		if v == "" || strings.ContainsAny(v, " \t") {
			return p.errAt(vcol, ErrSyntax, "version wants one word")
		}
		p.version = v
		return nil
	case "entry":
		if p.version == "" {
			return p.errAt(col, ErrSyntax, "entry before the version line")
		}
		if err := p.finish(); err != nil {
			return err
		}
		id, icol := p.rest(next)
		if !validID(id) {
			return p.errAt(icol, ErrSyntax, "entry id %q: want letters, digits, '.', '_' or '-', at most 64 bytes", id)
		}
		if old := p.db.ids[id]; old != nil {
			return p.errAt(icol, ErrDuplicate, "entry %q already defined at line %d", id, old.Line)
		}
		p.cur = &Entry{ID: id, Class: ClassUnknown, File: p.name, Line: p.line}
		p.db.ids[id] = p.cur
		return nil
	}
	e := p.cur
	if e == nil {
		return p.errAt(col, ErrSyntax, "%q outside an entry", kw)
	}
	v, vcol := p.rest(next)
	if kw != "test" && v == "" {
		return p.errAt(next+1, ErrSyntax, "%s wants a value", kw)
	}
	once := func(dst *string) error {
		if *dst != "" {
			return p.errAt(col, ErrSyntax, "second %s line", kw)
		}
		*dst = v
		return nil
	}
	switch kw {
	case "kind":
		k, ok := parseKind(v)
		if !ok {
			return p.errAt(vcol, ErrSyntax, "kind %q: want device, software or os", v)
		}
		e.Kind = k
	case "vendor":
		return once(&e.Vendor)
	case "product":
		return once(&e.Product)
	case "os":
		return once(&e.OS)
	case "modality":
		if !validModality(v) {
			return p.errAt(vcol, ErrSyntax, "modality %q: want a DICOM modality code (upper-case letters and digits)", v)
		}
		return once(&e.Modality)
	case "class":
		c, ok := ParseClass(v)
		if !ok {
			return p.errAt(vcol, ErrSyntax, "unknown class %q", v)
		}
		e.Class = c
	case "criticality":
		c, ok := ParseCriticality(v)
		if !ok || c == CriticalityUnknown {
			return p.errAt(vcol, ErrSyntax, "criticality %q: want low, medium, high or critical", v)
		}
		e.Criticality = c
	case "source":
		e.Sources = append(e.Sources, v)
	case "note":
		e.Notes = append(e.Notes, v)
	case "test":
		return p.parseTest(next)
	default:
		return p.errAt(col, ErrSyntax, "unknown keyword %q", kw)
	}
	return nil
}

// parseTest parses "test WEIGHT FIELD OP VALUE" from byte i on.
func (p *parser) parseTest(i int) error {
	e := p.cur
	if len(e.Tests) == MaxTests {
		return p.errAt(1, ErrInvalid, "entry %q has more than %d tests", e.ID, MaxTests)
	}
	ws, wcol, i := p.token(i)
	w, err := strconv.Atoi(ws)
	if err != nil || w < 1 || w > MaxWeight {
		return p.errAt(wcol, ErrSyntax, "test weight %q: want an integer from 1 to %d", ws, MaxWeight)
	}
	fs, fcol, i := p.token(i)
	f, ok := ParseField(fs)
	if !ok {
		return p.errAt(fcol, ErrSyntax, "unknown field %q", fs)
	}
	ops, ocol, i := p.token(i)
	op := Op(255)
	for k, n := range opNames {
		if n == ops {
			op = Op(k)
		}
	}
	if op == 255 {
		return p.errAt(ocol, ErrSyntax, "unknown match %q: want exact, prefix, suffix, regexp or p0f", ops)
	}
	raw, vcol := p.rest(i)
	v := raw
	if raw != "" && (raw[0] == '"' || raw[0] == '`') {
		if v, err = strconv.Unquote(raw); err != nil {
			return p.errAt(vcol, ErrSyntax, "bad quoted value %s", raw)
		}
	}
	if v == "" {
		return p.errAt(vcol, ErrSyntax, "test wants a value")
	}
	t := Test{Field: f, Op: op, Value: v, Weight: w, Line: p.line}
	switch {
	case f == FieldMAC:
		if op != OpExact && op != OpPrefix {
			return p.errAt(ocol, ErrInvalid, "mac tests are exact or prefix")
		}
		h, ok := macHex(v)
		if !ok || op == OpExact && len(h) != 12 {
			return p.errAt(vcol, ErrInvalid, "mac %q: want hexadecimal digits (12 for exact), separators ':', '-' or '.' allowed", v)
		}
		t.Value = h
	case op == OpP0F:
		if f != FieldP0F {
			return p.errAt(ocol, ErrInvalid, "p0f match is for field p0f")
		}
		sig, err := parseP0FSig(v)
		if err != nil {
			return p.errAt(vcol, ErrInvalid, "p0f signature: %v", err)
		}
		t.sig = sig
	case op == OpRegexp:
		if len(v) > MaxLineLen {
			return p.errAt(vcol, ErrInvalid, "regular expression too long")
		}
		re, err := regexp.Compile(v)
		if err != nil {
			var rerr *syntax.Error
			msg := err.Error()
			if errors.As(err, &rerr) {
				msg = string(rerr.Code) + ": " + rerr.Expr
			}
			return p.errAt(vcol, ErrInvalid, "regular expression: %s", msg)
		}
		t.re = re
	default:
		if len(v) > MaxValueLen {
			return p.errAt(vcol, ErrInvalid, "value longer than %d bytes", MaxValueLen)
		}
		if op != OpSuffix && v[0] == ' ' || op != OpPrefix && v[len(v)-1] == ' ' {
			return p.errAt(vcol, ErrInvalid, "a value that starts or ends with a space never matches (evidence is trimmed)")
		}
	}
	e.Tests = append(e.Tests, t)
	return nil
}

// finish checks the current entry, names its tests and adds it.
func (p *parser) finish() error {
	e := p.cur
	if e == nil {
		return nil
	}
	p.cur = nil
	errEntry := func(format string, args ...any) error {
		return &Error{File: p.name, Line: e.Line, Column: 1, Offset: -1, Err: ErrInvalid,
			Msg: fmt.Sprintf("entry %q: ", e.ID) + fmt.Sprintf(format, args...)}
	}
	switch {
	case len(e.Sources) == 0:
		return errEntry("no source")
	case len(e.Tests) == 0:
		return errEntry("no test")
	case e.Kind == KindOS && e.OS == "":
		return errEntry("an os entry wants an os line")
	case e.Kind != KindOS && e.Vendor == "" && e.Product == "":
		return errEntry("wants a vendor or a product")
	case e.Modality != "" && e.Class != ClassModality:
		return errEntry("modality is for class modality")
	}
	finishTests(e)
	p.db.entries = append(p.db.entries, e)
	return nil
}

func validID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			i > 0 && (c == '.' || c == '_' || c == '-')) {
			return false
		}
	}
	return true
}

func validModality(s string) bool {
	if s == "" || len(s) > 16 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// macHex returns the hexadecimal digits of a MAC prefix in upper case.
func macHex(s string) (string, bool) {
	var b []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9' || c >= 'A' && c <= 'F':
			b = append(b, c)
		case c >= 'a' && c <= 'f':
			b = append(b, c-'a'+'A')
		case c == ':' || c == '-' || c == '.':
		default:
			return "", false
		}
	}
	return string(b), len(b) > 0 && len(b) <= 12
}

// finishTests names the tests of e.
func finishTests(e *Entry) {
	var count, seen [numFields]int
	for _, t := range e.Tests {
		count[t.Field]++
	}
	for i := range e.Tests {
		t := &e.Tests[i]
		t.ID = e.ID + ":" + t.Field.String()
		if count[t.Field] > 1 {
			seen[t.Field]++
			t.ID += "#" + strconv.Itoa(seen[t.Field])
		}
	}
}
