package dicom

import (
	"bytes"
	"encoding/binary"

	"github.com/klauspost/compress/flate"
)

// AppendHeader appends the header of an element with the given tag, VR and
// value length in encoding enc (the deflated encoding writes explicit VR
// little endian, to be compressed by [AppendFile]). For item and delimitation
// tags the VR is ignored. The VR is ignored in implicit VR. Use
// [UndefinedLength] for sequences closed by [AppendSequenceDelimitation].
func AppendHeader(dst []byte, enc Encoding, tag Tag, vr VR, length uint32) []byte {
	bo := byteOrder(enc)
	dst = bo.AppendUint16(dst, tag.Group())
	dst = bo.AppendUint16(dst, tag.Element())
	if !enc.explicit() || tag.IsDelimiter() {
		return bo.AppendUint32(dst, length)
	}
	dst = append(dst, byte(vr>>8), byte(vr))
	if vr.hasLongLength() || !vr.IsKnown() && length > 0xFFFF {
		dst = append(dst, 0, 0)
		return bo.AppendUint32(dst, length)
	}
	return bo.AppendUint16(dst, uint16(length))
}

func byteOrder(enc Encoding) binary.AppendByteOrder {
	if enc.bigEndian() {
		return binary.BigEndian
	}
	return binary.LittleEndian
}

// AppendElement appends an element and its value, padding an odd-length
// value to even length as the standard requires: with a space for string
// VRs (a NUL for UI) and a zero byte otherwise. Binary values must already
// be in the byte order of enc.
func AppendElement(dst []byte, enc Encoding, tag Tag, vr VR, value []byte) []byte {
	n := len(value)
	pad := n&1 == 1
	if pad {
		n++
	}
	dst = AppendHeader(dst, enc, tag, vr, uint32(n))
	dst = append(dst, value...)
	if pad {
		switch {
		case vr == UI:
			dst = append(dst, 0)
		case vr.IsString():
			dst = append(dst, ' ')
		default:
			dst = append(dst, 0)
		}
	}
	return dst
}

// AppendString appends a string-valued element (see [AppendElement]).
func AppendString(dst []byte, enc Encoding, tag Tag, vr VR, s string) []byte {
	n := len(s)
	pad := n&1 == 1
	if pad {
		n++
	}
	dst = AppendHeader(dst, enc, tag, vr, uint32(n))
	dst = append(dst, s...)
	if pad {
		if vr == UI {
			return append(dst, 0)
		}
		return append(dst, ' ')
	}
	return dst
}

// AppendUint16s appends a US (or other 16-bit VR) element holding vs.
func AppendUint16s(dst []byte, enc Encoding, tag Tag, vr VR, vs ...uint16) []byte {
	dst = AppendHeader(dst, enc, tag, vr, uint32(2*len(vs)))
	bo := byteOrder(enc)
	for _, v := range vs {
		dst = bo.AppendUint16(dst, v)
	}
	return dst
}

// AppendUint32s appends a UL (or other 32-bit VR) element holding vs.
func AppendUint32s(dst []byte, enc Encoding, tag Tag, vr VR, vs ...uint32) []byte {
	dst = AppendHeader(dst, enc, tag, vr, uint32(4*len(vs)))
	bo := byteOrder(enc)
	for _, v := range vs {
		dst = bo.AppendUint32(dst, v)
	}
	return dst
}

// AppendItem appends an item header of the given length (UndefinedLength
// for an item closed by [AppendItemDelimitation]).
func AppendItem(dst []byte, enc Encoding, length uint32) []byte {
	return AppendHeader(dst, enc, TagItem, 0, length)
}

// AppendItemDelimitation appends an item delimitation item.
func AppendItemDelimitation(dst []byte, enc Encoding) []byte {
	return AppendHeader(dst, enc, TagItemDelimitation, 0, 0)
}

// AppendSequenceDelimitation appends a sequence delimitation item.
func AppendSequenceDelimitation(dst []byte, enc Encoding) []byte {
	return AppendHeader(dst, enc, TagSequenceDelimitation, 0, 0)
}

// FileMeta holds the file meta information that [AppendFile] writes.
type FileMeta struct {
	Preamble                   [128]byte // usually all zero
	MediaStorageSOPClassUID    string
	MediaStorageSOPInstanceUID string
	TransferSyntaxUID          string
	ImplementationClassUID     string // "2.25.285519427213097587262593326302627418657" (medtap) if empty
	ImplementationVersionName  string
}

// AppendFile appends a Part 10 file: preamble, "DICM", the meta group with
// its group length, then dataset, which must already be encoded in the
// encoding of meta.TransferSyntaxUID (explicit VR little endian for the
// deflated syntax: AppendFile compresses it).
func AppendFile(dst []byte, meta *FileMeta, dataset []byte) []byte {
	dst = append(dst, meta.Preamble[:]...)
	dst = append(dst, "DICM"...)
	const e = ExplicitVRLittleEndian
	var m []byte
	m = AppendElement(m, e, NewTag(2, 1), OB, []byte{0, 1})
	m = AppendString(m, e, NewTag(2, 2), UI, meta.MediaStorageSOPClassUID)
	m = AppendString(m, e, NewTag(2, 3), UI, meta.MediaStorageSOPInstanceUID)
	m = AppendString(m, e, NewTag(2, 0x10), UI, meta.TransferSyntaxUID)
	impl := meta.ImplementationClassUID
	if impl == "" {
		impl = ImplementationClassUID
	}
	m = AppendString(m, e, NewTag(2, 0x12), UI, impl)
	if meta.ImplementationVersionName != "" {
		m = AppendString(m, e, NewTag(2, 0x13), SH, meta.ImplementationVersionName)
	}
	dst = AppendUint32s(dst, e, NewTag(2, 0), UL, uint32(len(m)))
	dst = append(dst, m...)
	if enc, _ := EncodingOf([]byte(meta.TransferSyntaxUID)); enc == DeflatedExplicitVRLittleEndian {
		var buf bytes.Buffer
		w, _ := flate.NewWriter(&buf, flate.DefaultCompression)
		w.Write(dataset)
		w.Close()
		return append(dst, buf.Bytes()...)
	}
	return append(dst, dataset...)
}

// ImplementationClassUID is medtap's implementation class UID, a UUID-derived
// UID (2.25 arc), written by [AppendFile] when none is given.
const ImplementationClassUID = "2.25.285519427213097587262593326302627418657"
