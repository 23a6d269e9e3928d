package devdb

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"sync"
)

// An Op is how a test compares its value with the evidence.
type Op uint8

// Test operators. Exact, prefix and suffix compare ASCII letters without
// regard to case; a regular expression (RE2 syntax, Go's regexp) is case
// sensitive unless it starts with (?i), and matches anywhere in the value
// unless anchored.
const (
	OpExact  Op = iota // the whole value
	OpPrefix           // the value begins with it
	OpSuffix           // the value ends with it
	OpRegexp           // a regular expression matches the value
	OpP0F              // a p0f TCP signature matches a raw_sig (field p0f only)
)

var opNames = [...]string{"exact", "prefix", "suffix", "regexp", "p0f"}

// String returns the operator's name as written in database files.
func (o Op) String() string {
	if int(o) < len(opNames) {
		return opNames[o]
	}
	return "Op(" + strconv.Itoa(int(o)) + ")"
}

// Limits of the database format.
const (
	MaxTests    = 64   // tests per entry
	MaxWeight   = 1000 // weight of one test
	MaxValueLen = 255  // bytes in an exact, prefix or suffix value
	MaxLineLen  = 4096 // bytes in one line of a database file
)

// A Test is one weighted test of an entry.
type Test struct {
	// ID names the test in a match's rules: the entry's ID, ':', the
	// field, and "#n" for the n-th test on that field when the entry has
	// several ("dcmtk:dicom.uid#3").
	ID     string
	Field  Field
	Op     Op
	Value  string // as written (a MAC prefix without separators)
	Weight int
	Line   int // line of the test in its file

	re  *regexp.Regexp
	sig *p0fSig
}

// An Entry is one device family, software stack or operating system.
type Entry struct {
	ID          string
	Kind        Kind
	Vendor      string
	Product     string
	Class       Class
	Modality    string // DICOM modality code of an imaging device ("CT")
	OS          string // the operating system it typically runs, or is
	Criticality Criticality
	Sources     []string // where the facts came from, at least one
	Notes       []string
	Tests       []Test
	File        string // name given to Load
	Line        int    // line of the entry's "entry" line
}

// EffectiveCriticality is the entry's criticality, or its class's default
// when the entry states none.
func (e *Entry) EffectiveCriticality() Criticality {
	if e.Criticality != CriticalityUnknown {
		return e.Criticality
	}
	return e.Class.Criticality()
}

// A File describes one file loaded into a database.
type File struct {
	Name    string
	Version string
	Entries int
}

// A Database holds entries and the index that matches evidence against
// their tests. A Database is safe for concurrent Match calls; Merge must
// not run concurrently with anything else on the same database.
type Database struct {
	entries []*Entry
	files   []File
	ids     map[string]*Entry
	idx     *index
}

// Entries returns the database's entries in load order. They must not be
// modified.
func (db *Database) Entries() []*Entry { return db.entries }

// Files lists the files the database was loaded from, with their versions.
func (db *Database) Files() []File { return db.files }

// Entry returns the entry with the given ID, or nil.
func (db *Database) Entry(id string) *Entry { return db.ids[id] }

// Len returns the number of entries.
func (db *Database) Len() int { return len(db.entries) }

// Errors of the devdb package; an [*Error] wraps one of them.
var (
	ErrSyntax    = errors.New("devdb: syntax error")
	ErrInvalid   = errors.New("devdb: invalid entry")
	ErrDuplicate = errors.New("devdb: duplicate entry id")
)

// An Error reports a problem in a database file: its name, line and
// column (1-based; column counts bytes) and byte offset.
type Error struct {
	File   string
	Line   int
	Column int
	Offset int64
	Err    error // ErrSyntax, ErrInvalid or ErrDuplicate
	Msg    string
}

func (e *Error) Error() string {
	return fmt.Sprintf("devdb: %s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
}

// Unwrap returns the sentinel.
func (e *Error) Unwrap() error { return e.Err }

// ByteOffset returns the offset of the error in its file.
func (e *Error) ByteOffset() int64 { return e.Offset }

// Merge adds the entries of other to db and rebuilds db's index. An entry
// whose ID db already holds is an error (wrapping [ErrDuplicate]) and
// nothing is merged. other is not changed and may be used on its own.
func (db *Database) Merge(other *Database) error {
	// Check first, then copy what db may share with Default's database.
	if err := db.checkIDs(other); err != nil {
		return err
	}
	ids := make(map[string]*Entry, len(db.ids)+len(other.ids))
	maps.Copy(ids, db.ids)
	db.ids = ids
	db.entries = slices.Clip(db.entries)
	db.files = slices.Clip(db.files)
	db.add(other)
	db.idx = buildIndex(db.entries)
	return nil
}

// checkIDs returns an error for the first entry of other whose ID db holds.
func (db *Database) checkIDs(other *Database) error {
	for _, e := range other.entries {
		if old := db.ids[e.ID]; old != nil {
			return &Error{File: e.File, Line: e.Line, Column: 7, Offset: -1, Err: ErrDuplicate,
				Msg: fmt.Sprintf("entry %q already defined at %s:%d", e.ID, old.File, old.Line)}
		}
	}
	return nil
}

// add appends the entries and files of other, without the index.
func (db *Database) add(other *Database) {
	for _, e := range other.entries {
		db.ids[e.ID] = e
	}
	db.entries = append(db.entries, other.entries...)
	db.files = append(db.files, other.files...)
}

//go:embed data/*.db
var dataFS embed.FS

var (
	defaultOnce sync.Once
	defaultDB   *Database
)

// Default returns the database embedded in medtap (the files of data/, in
// name order). It is parsed once, on the first call; each call returns a
// Database of its own that shares the parsed entries, so merging into it
// does not change what later calls return.
func Default() *Database {
	defaultOnce.Do(func() {
		db, err := loadFS(dataFS, "data")
		if err != nil {
			panic(err) // the embedded files are tested
		}
		defaultDB = db
	})
	d := *defaultDB
	return &d
}

func loadFS(fsys fs.FS, dir string) (*Database, error) {
	names, err := fs.Glob(fsys, dir+"/*.db")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	db := &Database{ids: map[string]*Entry{}}
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		one, err := parse(b, n)
		if err != nil {
			return nil, err
		}
		if err := db.checkIDs(one); err != nil {
			return nil, err
		}
		db.add(one)
	}
	db.idx = buildIndex(db.entries)
	return db, nil
}
