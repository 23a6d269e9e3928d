package dicom

// Value is a view of one element's value with what is needed to decode it:
// its VR and byte order. Bytes points into the parser's input and is valid as
// long as that input (see [Parser.Value]).
type Value struct {
	Bytes     []byte
	VR        VR
	BigEndian bool
}
