// Command dcmdump prints the data elements of a DICOM file.
//
//	dcmdump FILE        a readable tree: tag, VR, length, keyword, value
//	dcmdump -json FILE  JSON Lines, one object per data element in file order
//
// In JSON mode each line is {"tag":"00100010","vr":"PN","vl":22,"depth":0,
// "value":"Doe^Jane"}: value is the text of string VRs with padding removed
// (multiple values joined by \ as stored, decoded to UTF-8 with the file's
// Specific Character Set), an array of numbers for US, SS, UL, SL, SV, UV,
// FL, FD and AT, and absent for OB, OW, OF, OD, OL, OV, UN and SQ; vl is -1
// for undefined length. Item and delimitation tags are not printed. Errors
// go to stderr with their byte offset after every element that could be read
// has been printed, and the exit status is 1.
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
	jsonOut := flag.Bool("json", false, "print JSON Lines, one object per data element")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: dcmdump [-json] FILE")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	b, err := os.ReadFile(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, "dcmdump:", err)
		os.Exit(1)
	}
	w := bufio.NewWriter(os.Stdout)
	err = dump(w, b, *jsonOut)
	w.Flush()
	if err != nil {
		fmt.Fprintln(os.Stderr, "dcmdump:", err)
		os.Exit(1)
	}
}

// dump writes every element of the file b to w, in JSON Lines or as a tree.
func dump(w io.Writer, b []byte, jsonOut bool) error {
	var p dicom.Parser
	if err := p.Start(b); err != nil {
		return err
	}
	var line []byte
	if !jsonOut {
		if k := dicom.InspectPreamble(p.Preamble()); k.IsExecutable() {
			fmt.Fprintf(w, "# WARNING: the preamble holds a %v executable header (CVE-2019-11687 polyglot)\n", k)
		}
	}
	for {
		h, err := p.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		var v dicom.Value
		hasValue := false
		if tv, err := p.TypedValue(); err == nil {
			v, hasValue = tv, true
		}
		if jsonOut {
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
