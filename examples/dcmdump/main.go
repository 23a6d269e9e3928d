// Command dcmdump prints the data elements of a DICOM file.
//
//	dcmdump FILE        a readable tree: tag, VR, length, keyword, value
//	dcmdump -json FILE  JSON Lines, one object per data element in file order
//
// FILE is a Part 10 file or a raw dataset (as sent in a C-STORE); "-" reads
// standard input. An explicit VR UN element whose tag the data dictionary
// knows is shown with the dictionary's VR and decoded value, as pydicom
// does (-keep-un shows it as UN, as dcmtk does). -lenient reads a truncated
// file as far as it goes: every complete element, then the one cut short,
// marked "(truncated: N of M bytes)" in the tree and "truncated":true in
// JSON, with the value that is there; the truncation is still reported.
//
// In JSON mode each line is {"tag":"00100010","vr":"PN","vl":22,"depth":0,
// "value":"Doe^Jane"}: value is the text of string VRs with padding removed
// (multiple values joined by \ as stored, decoded to UTF-8 with the file's
// Specific Character Set), an array of numbers for US, SS, UL, SL, SV, UV,
// FL, FD and AT, and absent for OB, OW, OF, OD, OL, OV, UN and SQ; vl is -1
// for undefined length. Item and delimitation tags are not printed. Errors
// go to stderr with their byte offset after every element that could be read
// has been printed, and the exit status is 1; so it is for an empty input and
// for one that is not DICOM.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/medtap/medtap/dicom"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// options are the flags that change what dump prints.
type options struct {
	json    bool
	lenient bool
	keepUN  bool
}

// run parses args, dumps the file they name and returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("dcmdump", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.BoolVar(&o.json, "json", false, "print JSON Lines, one object per data element")
	fs.BoolVar(&o.lenient, "lenient", false, "read a truncated file as far as it goes, marking the element cut short")
	fs.BoolVar(&o.keepUN, "keep-un", false, "show explicit VR UN elements as UN, not with the dictionary's VR")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "dcmdump prints the data elements of a DICOM file (Part 10 or raw dataset).")
		fmt.Fprintln(stderr, "usage: dcmdump [-json] [-lenient] [-keep-un] FILE|-")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	name := fs.Arg(0)
	var (
		b   []byte
		err error
	)
	if name == "-" {
		b, err = io.ReadAll(stdin)
		name = "standard input"
	} else {
		b, err = os.ReadFile(name)
	}
	if err != nil {
		fmt.Fprintln(stderr, "dcmdump:", err)
		return 1
	}
	w := bufio.NewWriter(stdout)
	err = dump(w, b, o)
	w.Flush()
	if err != nil {
		fmt.Fprintf(stderr, "dcmdump: %s: %v\n", name, err)
		return 1
	}
	return 0
}

// dump writes every element of the file b to w, in JSON Lines or as a tree.
func dump(w io.Writer, b []byte, o options) error {
	if err := check(b); err != nil {
		return err
	}
	p := dicom.Parser{Lenient: o.lenient, ConvertUN: !o.keepUN}
	if err := p.Start(b); err != nil {
		return err
	}
	var line []byte
	if !o.json {
		if k := dicom.InspectPreamble(p.Preamble()); k.IsExecutable() {
			fmt.Fprintf(w, "# WARNING: the preamble holds a %v executable header (CVE-2019-11687 polyglot)\n", k)
		}
	}
	var report error // the truncation reported in lenient mode
	for {
		h, err := p.Next()
		if err == io.EOF {
			return report
		}
		if err != nil {
			if o.lenient && report == nil {
				report = err // io.EOF follows the report of a truncation
				continue
			}
			return err
		}
		var v dicom.Value
		hasValue := false
		if tv, err := p.TypedValue(); err == nil {
			v, hasValue = tv, true
		}
		if o.json {
			if h.Tag.IsDelimiter() {
				continue
			}
			line = appendJSON(line[:0], &h, v, hasValue, p.CharacterSet())
		} else {
			line = appendTree(line[:0], &h, v, hasValue, p.CharacterSet(), p.PrivateCreator(h.Tag))
		}
		line = append(line, '\n')
		if _, err := w.Write(line); err != nil {
			return err
		}
	}
}
