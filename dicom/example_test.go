package dicom_test

import (
	"bytes"
	"fmt"
	"io"

	"github.com/medtap/medtap/dicom"
)

// exampleFile builds a small Part 10 file: patient name, a sequence with
// one item, and 4 bytes of pixel data.
func exampleFile() []byte {
	enc := dicom.ExplicitVRLittleEndian
	var ds []byte
	ds = dicom.AppendString(ds, enc, dicom.NewTag(0x0008, 0x0005), dicom.CS, "ISO_IR 100")
	ds = dicom.AppendString(ds, enc, dicom.NewTag(0x0010, 0x0010), dicom.PN, "M\xfcller^J\xfcrgen")
	ds = dicom.AppendHeader(ds, enc, dicom.NewTag(0x0008, 0x1140), dicom.SQ, dicom.UndefinedLength)
	ds = dicom.AppendItem(ds, enc, dicom.UndefinedLength)
	ds = dicom.AppendString(ds, enc, dicom.NewTag(0x0008, 0x1155), dicom.UI, "1.2.3.4")
	ds = dicom.AppendItemDelimitation(ds, enc)
	ds = dicom.AppendSequenceDelimitation(ds, enc)
	ds = dicom.AppendUint16s(ds, enc, dicom.NewTag(0x0028, 0x0010), dicom.US, 512)
	ds = dicom.AppendElement(ds, enc, dicom.TagPixelData, dicom.OW, []byte{1, 2, 3, 4})
	return dicom.AppendFile(nil, &dicom.FileMeta{
		MediaStorageSOPClassUID:    "1.2.840.10008.5.1.4.1.1.7",
		MediaStorageSOPInstanceUID: "1.2.3.4.5",
		TransferSyntaxUID:          dicom.UIDExplicitVRLittleEndian,
	}, ds)
}

func ExampleParser() {
	var p dicom.Parser
	p.Start(exampleFile())
	for {
		h, err := p.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		if h.Tag.Group() == 2 || h.Tag.IsDelimiter() {
			continue // file meta group, items and delimiters
		}
		e, _ := dicom.Lookup(h.Tag)
		fmt.Printf("%*s%v %v %s", 2*h.Depth, "", h.Tag, h.VR, e.Keyword)
		if v, err := p.TypedValue(); err == nil && h.VR.IsString() {
			fmt.Printf(" %q", v.Text())
		}
		fmt.Println()
	}
	fmt.Println(string(p.TransferSyntax()))
	// Output:
	// (0008,0005) CS SpecificCharacterSet "ISO_IR 100"
	// (0010,0010) PN PatientName "M\xfcller^J\xfcrgen"
	// (0008,1140) SQ ReferencedImageSequence
	//   (0008,1155) UI ReferencedSOPInstanceUID "1.2.3.4"
	// (0028,0010) US Rows
	// (7FE0,0010) OW PixelData
	// 1.2.840.10008.1.2.1
}

// A file cut short inside a sequence: in lenient mode the parser yields
// every element that is there, flags the one cut short, and reports the
// truncation once before io.EOF.
func ExampleParser_lenient() {
	file := exampleFile()
	cut := file[:len(file)-47] // in the value of the element in the sequence
	p := dicom.Parser{Lenient: true}
	p.Start(cut)
	for {
		h, err := p.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println("error:", err)
			continue // io.EOF follows
		}
		if h.Tag.Group() == 2 || h.Tag.IsDelimiter() {
			continue
		}
		fmt.Printf("%*s%v %v", 2*h.Depth, "", h.Tag, h.VR)
		if h.Truncated {
			v, _ := p.Value()
			fmt.Printf(" truncated: %q of %d bytes", v, h.Length)
		}
		fmt.Println()
	}
	// Output:
	// (0008,0005) CS
	// (0010,0010) PN
	// (0008,1140) SQ
	//   (0008,1155) UI truncated: "1.2" of 8 bytes
	// error: dicom: truncated element at offset 350 in (0008,1155)
}

func ExampleParser_Skip() {
	var p dicom.Parser
	p.Start(exampleFile())
	for {
		h, err := p.Next()
		if err != nil {
			break
		}
		if h.VR == dicom.SQ {
			p.Skip() // do not descend
		}
		if h.Depth > 0 {
			fmt.Println("unexpected", h.Tag)
		}
	}
	fmt.Println("done")
	// Output: done
}

func ExampleParser_StartDataset() {
	// A DIMSE C-ECHO-RQ command set: implicit VR little endian, group 0000.
	enc := dicom.ImplicitVRLittleEndian
	var cmd []byte
	cmd = dicom.AppendString(cmd, enc, dicom.NewTag(0x0000, 0x0002), dicom.UI, "1.2.840.10008.1.1")
	cmd = dicom.AppendUint16s(cmd, enc, dicom.NewTag(0x0000, 0x0100), dicom.US, 0x0030)
	cmd = dicom.AppendUint16s(cmd, enc, dicom.NewTag(0x0000, 0x0110), dicom.US, 7)
	var p dicom.Parser
	p.StartDataset(cmd, enc)
	for {
		h, err := p.Next()
		if err != nil {
			break
		}
		v, _ := p.TypedValue()
		switch h.VR {
		case dicom.US:
			n, _ := v.AppendInts(nil)
			fmt.Println(h.Tag, h.VR, n)
		default:
			fmt.Println(h.Tag, h.VR, string(v.Text()))
		}
	}
	// Output:
	// (0000,0002) UI 1.2.840.10008.1.1
	// (0000,0100) US [48]
	// (0000,0110) US [7]
}

func ExampleReader() {
	r := dicom.NewReader(bytes.NewReader(exampleFile()))
	for {
		h, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		if h.Tag == dicom.TagPixelData {
			// Stream a bulk value in chunks instead of buffering it.
			n, _ := io.Copy(io.Discard, r)
			fmt.Println("pixel data bytes:", n)
		}
	}
	// Output: pixel data bytes: 4
}

func ExampleAppendUTF8() {
	name := []byte("M\xfcller^J\xfcrgen") // ISO 8859-1
	out, _ := dicom.AppendUTF8(nil, name, []byte("ISO_IR 100"))
	pn := dicom.ParsePersonName(out)
	fmt.Printf("%s, %s\n", pn.Family(), pn.Given())
	// Output: Müller, Jürgen
}

func ExampleInspectPreamble() {
	var p dicom.Parser
	p.Start(exampleFile())
	k := dicom.InspectPreamble(p.Preamble())
	fmt.Println(k, k.IsExecutable())
	// Output: zero false
}

func ExampleLookupUID() {
	e, _ := dicom.LookupUID([]byte("1.2.840.10008.5.1.4.1.1.4\x00"))
	fmt.Println(e.Name, e.Kind == dicom.UIDSOPClass)
	// Output: MRImageStorage true
}

// InspectExecutable finds a program at the start of an element value: walk
// the top-level elements and look at the binary ones.
func ExampleInspectExecutable() {
	exe := make([]byte, 256) // an MS-DOS header whose e_lfanew points at a PE header
	copy(exe, "MZ\x90\x00")
	exe[0x3c] = 0x80
	copy(exe[0x80:], "PE\x00\x00")
	enc := dicom.ExplicitVRLittleEndian
	ds := dicom.AppendString(nil, enc, dicom.NewTag(0x0009, 0x0010), dicom.LO, "ACME 1.0")
	ds = dicom.AppendElement(ds, enc, dicom.NewTag(0x0009, 0x1010), dicom.OB, exe)
	ds = dicom.AppendElement(ds, enc, dicom.NewTag(0x0009, 0x1011), dicom.OB, []byte("MZ but no header"))
	var p dicom.Parser
	p.StartDataset(ds, enc)
	for {
		h, err := p.Next()
		if err != nil {
			break
		}
		if v, err := p.Value(); err == nil && h.VR == dicom.OB {
			fmt.Println(h.Tag, dicom.InspectExecutable(v))
		}
	}
	// Output:
	// (0009,1010) PE
	// (0009,1011) none
}
