package mllp

import (
	"bytes"

	"github.com/medtap/medtap/hl7"
)

// boundary is the end of one frame and the start of the next.
var boundary = []byte{EB, CR, SB}

// Sniff reports whether data, the first bytes of one direction of a TCP
// stream, carry HL7 v2 over MLLP: a frame that starts with an HL7 header
// segment (MSH, BHS or FHS and a field separator, see [hl7.Sniff]), an MLLP
// release 2 commit acknowledgement frame, or, for captures that begin
// mid-stream, the end of a frame followed by the start of one carrying a
// header. It never keeps data and never allocates; it reads data through
// once at most when it begins with no start block.
func Sniff(data []byte) bool {
	if len(data) >= 2 && data[0] == SB {
		if len(data) >= 3 && (data[1] == CommitACK || data[1] == CommitNAK) && data[2] == EB {
			return true
		}
		return hl7.Sniff(data[1:])
	}
	if i := bytes.Index(data, boundary); i >= 0 {
		return hl7.Sniff(data[i+3:])
	}
	return false
}
