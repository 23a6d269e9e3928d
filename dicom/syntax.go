package dicom

// Encoding is the way a dataset is encoded on the wire or in a file: the
// three "native" encodings of PS3.5 plus deflate. Every encapsulated
// (compressed pixel data) transfer syntax uses [ExplicitVRLittleEndian] for
// its dataset.
type Encoding uint8

const (
	ImplicitVRLittleEndian Encoding = iota
	ExplicitVRLittleEndian
	ExplicitVRBigEndian
	DeflatedExplicitVRLittleEndian
)

// Transfer syntax UIDs of the native encodings.
const (
	UIDImplicitVRLittleEndian         = "1.2.840.10008.1.2"
	UIDExplicitVRLittleEndian         = "1.2.840.10008.1.2.1"
	UIDExplicitVRBigEndian            = "1.2.840.10008.1.2.2"
	UIDDeflatedExplicitVRLittleEndian = "1.2.840.10008.1.2.1.99"
)

func (e Encoding) String() string {
	switch e {
	case ImplicitVRLittleEndian:
		return "implicit VR little endian"
	case ExplicitVRLittleEndian:
		return "explicit VR little endian"
	case ExplicitVRBigEndian:
		return "explicit VR big endian"
	case DeflatedExplicitVRLittleEndian:
		return "deflated explicit VR little endian"
	}
	return "unknown encoding"
}

func (e Encoding) explicit() bool  { return e != ImplicitVRLittleEndian }
func (e Encoding) bigEndian() bool { return e == ExplicitVRBigEndian }

// EncodingOf returns the encoding of the dataset for the transfer syntax uid
// (trailing NUL and space padding ignored). Any other UID under the DICOM root
// 1.2.840.10008.1.2. is an encapsulated syntax and reports
// [ExplicitVRLittleEndian]; ok is false for UIDs that name no transfer syntax
// known to follow that rule.
func EncodingOf(uid []byte) (e Encoding, ok bool) {
	uid = trimUID(uid)
	switch string(uid) {
	case UIDImplicitVRLittleEndian:
		return ImplicitVRLittleEndian, true
	case UIDExplicitVRLittleEndian:
		return ExplicitVRLittleEndian, true
	case UIDExplicitVRBigEndian:
		return ExplicitVRBigEndian, true
	case UIDDeflatedExplicitVRLittleEndian:
		return DeflatedExplicitVRLittleEndian, true
	}
	// Everything else under 1.2.840.10008.1.2. (JPEG, JPEG-LS, JPEG 2000,
	// RLE, MPEG, HEVC, deflated image frame compression 1.2.840.10008.1.2.8.1
	// ...) encapsulates pixel data in an explicit VR little endian dataset.
	const root = "1.2.840.10008.1.2."
	if len(uid) > len(root) && string(uid[:len(root)]) == root {
		return ExplicitVRLittleEndian, true
	}
	return ExplicitVRLittleEndian, false
}

// trimUID drops trailing NUL and space padding.
func trimUID(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == 0 || b[len(b)-1] == ' ') {
		b = b[:len(b)-1]
	}
	return b
}
