package synth

import (
	"encoding/binary"
	"slices"
	"strings"
)

// SMB messages for tests of handshakes no committed capture has: a header
// built from its fields and a body, behind the 4-byte direct hosting
// (NetBIOS session) header.

// SMB1 returns a framed SMB1 message with Unicode strings, NT status codes
// and extended security set in its flags.
func SMB1(cmd byte, response bool, words, data []byte) []byte {
	m := make([]byte, 4+32, 4+35+len(words)+len(data))
	h := m[4:]
	copy(h, "\xffSMB")
	h[4] = cmd
	if response {
		h[9] = 0x80
	}
	binary.LittleEndian.PutUint16(h[10:], 0xc801) // Unicode, NT status, extended security
	m = append(m, byte(len(words)/2))
	m = append(m, words...)
	m = binary.LittleEndian.AppendUint16(m, uint16(len(data)))
	m = append(m, data...)
	binary.BigEndian.PutUint32(m, uint32(len(m)-4))
	return m
}

// SMB2 returns a framed SMB2 message.
func SMB2(cmd uint16, response bool, status uint32, body []byte) []byte {
	m := make([]byte, 4+64, 4+64+len(body))
	binary.BigEndian.PutUint32(m, uint32(64+len(body)))
	h := m[4:]
	copy(h, "\xfeSMB\x40\x00")
	binary.LittleEndian.PutUint32(h[8:], status)
	binary.LittleEndian.PutUint16(h[12:], cmd)
	if response {
		h[16] = 1
	}
	return append(m, body...)
}

// LE16 returns v as two little-endian bytes.
func LE16(v int) []byte { return binary.LittleEndian.AppendUint16(nil, uint16(v)) }

// SMB2SessionSetup returns an SMB2 SESSION_SETUP request or response body
// carrying the security blob.
func SMB2SessionSetup(response bool, blob []byte) []byte {
	if response {
		return append(slices.Concat(LE16(9), LE16(0), LE16(64+8), LE16(len(blob))), blob...)
	}
	b := slices.Concat(LE16(25), []byte{0, 1}, make([]byte, 8), LE16(64+24), LE16(len(blob)), make([]byte, 8))
	return append(b, blob...)
}

// SetNTLMVersion sets, in place, the NTLM Version of the NTLMSSP
// CHALLENGE (kind "challenge") or AUTHENTICATE ("authenticate") message in
// blob to major.minor.build, and returns blob.
func SetNTLMVersion(blob []byte, kind string, major, minor byte, build uint16) []byte {
	i := strings.Index(string(blob), "NTLMSSP\x00")
	at := i + map[string]int{"challenge": 48, "authenticate": 64}[kind]
	blob[at], blob[at+1] = major, minor
	binary.LittleEndian.PutUint16(blob[at+2:], build)
	return blob
}
