package devdb

import (
	"bytes"
	"errors"
	"io/fs"
	"strings"
	"testing"
)

// FuzzLoad: the loader never panics, an error is an *Error whose line and
// column lie inside the input, and a database that loads matches evidence
// built from its own values without panicking.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(sample))
	f.Add([]byte(kinds))
	names, _ := fs.Glob(dataFS, "data/*.db")
	for _, n := range names {
		b, _ := fs.ReadFile(dataFS, n)
		if len(b) > 8192 {
			b = b[:8192]
		}
		f.Add(b)
	}
	f.Add([]byte("version 1\nentry a\nvendor V\nsource s\ntest 5 p0f p0f *:64-:0:*:%8192,*:mss,nop:df:+\n"))
	f.Add([]byte("version 1\nentry a\nvendor V\nsource s\ntest 5 hl7.app regexp `^A\\d+`\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		db, err := Load(bytes.NewReader(in), "fuzz.db")
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not *Error", err)
			}
			lines := bytes.Count(in, []byte{'\n'}) + 1
			if e.Line < 1 || e.Line > lines || e.Column < 1 {
				t.Fatalf("error %v: line %d column %d outside %d lines", err, e.Line, e.Column, lines)
			}
			if e.Offset >= 0 {
				if e.Offset > int64(len(in)) {
					t.Fatalf("error %v: offset %d past %d bytes", err, e.Offset, len(in))
				}
				start := bytes.LastIndexByte(in[:e.Offset], '\n') + 1
				if int64(start+e.Column-1) != e.Offset {
					t.Fatalf("error %v: column %d does not match offset %d", err, e.Column, e.Offset)
				}
			}
			if !strings.HasPrefix(err.Error(), "devdb: fuzz.db:") {
				t.Fatalf("message %q", err)
			}
			return
		}
		for _, e := range db.Entries() {
			var ev Evidence
			for _, x := range e.Tests {
				setField(&ev, x.Field, x.Value)
				if x.Field == FieldP0F {
					ev.P0F = x.Value
				}
			}
			Summarize(db.Match(&ev, nil))
		}
	})
}

// FuzzMatch: any raw_sig and values match without panicking.
func FuzzMatch(f *testing.F) {
	f.Add("4:64+0:0:1460:mss*20,7:mss,sok,ts,nop,ws:df,id+:0", "1.2.840.113619.6.44", "Windows 7 (6.1.0)")
	f.Add("6:128+?:0:*:mtu*4,0:mss:0+:+", "", "")
	db := Default()
	if p, err := LoadP0F(strings.NewReader(p0fSample), "p.fp"); err == nil {
		db.Merge(p)
	}
	f.Fuzz(func(t *testing.T, sig, uid, os string) {
		ev := Evidence{P0F: sig, ImplementationUID: uid, SMBOS: os, Model: uid + os, ASTMSender: os}
		Summarize(db.Match(&ev, nil))
	})
}
