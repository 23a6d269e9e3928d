package smb

import (
	"bytes"
	"encoding/binary"
	"unicode/utf16"
)

// Builders of synthetic SMB traffic for the table tests.

func u16(s string) []byte {
	var b []byte
	for _, r := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, r)
	}
	return b
}

// msg2 returns an SMB2 message: a 64-byte header and body.
func msg2(cmd Command2, flags uint32, status Status, body []byte) []byte {
	h := make([]byte, header2Size, header2Size+len(body))
	copy(h, "\xfeSMB")
	binary.LittleEndian.PutUint16(h[4:], header2Size)
	binary.LittleEndian.PutUint32(h[8:], uint32(status))
	binary.LittleEndian.PutUint16(h[12:], uint16(cmd))
	binary.LittleEndian.PutUint32(h[16:], flags)
	binary.LittleEndian.PutUint64(h[24:], 7) // MessageId
	binary.LittleEndian.PutUint32(h[36:], 1) // TreeId
	binary.LittleEndian.PutUint64(h[40:], 0x1122334455667788)
	return append(h, body...)
}

// msg1 returns an SMB1 message: a 32-byte header, the word count, words,
// the byte count and data.
func msg1(cmd Command1, flags uint8, flags2 uint16, words, data []byte) []byte {
	h := make([]byte, header1Size)
	copy(h, "\xffSMB")
	h[4] = byte(cmd)
	h[9] = flags
	binary.LittleEndian.PutUint16(h[10:], flags2)
	h = append(h, byte(len(words)/2))
	h = append(h, words...)
	h = binary.LittleEndian.AppendUint16(h, uint16(len(data)))
	return append(h, data...)
}

// compound chains SMB2 messages into one frame's content, padding each but
// the last to 8 bytes and setting NextCommand.
func compound(msgs ...[]byte) []byte {
	var out []byte
	for i, m := range msgs {
		m = bytes.Clone(m)
		if i < len(msgs)-1 {
			for len(m)%8 != 0 {
				m = append(m, 0)
			}
			binary.LittleEndian.PutUint32(m[20:], uint32(len(m)))
		}
		out = append(out, m...)
	}
	return out
}

// frame puts content behind a 4-byte session message header.
func frame(content []byte) []byte {
	n := len(content)
	return append([]byte{0, byte(n >> 16), byte(n >> 8), byte(n)}, content...)
}

// netbios returns a NetBIOS session service packet of type t.
func netbios(t NetBIOSType, body []byte) []byte {
	n := len(body)
	return append([]byte{byte(t), byte(n >> 16 & 1), byte(n >> 8), byte(n)}, body...)
}

// encodeName returns a first-level encoded NetBIOS name (RFC 1001 14.1).
func encodeName(name string, suffix byte) []byte {
	var raw [16]byte
	copy(raw[:], name+"               ")
	raw[15] = suffix
	b := []byte{32}
	for _, c := range raw {
		b = append(b, 'A'+c>>4, 'A'+c&15)
	}
	return append(b, 0)
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// negotiate2Request returns an SMB2 NEGOTIATE request body offering the
// dialects, with a NETNAME context naming server when 3.1.1 is offered.
func negotiate2Request(server string, dialects ...Dialect) []byte {
	b := make([]byte, 36)
	binary.LittleEndian.PutUint16(b, 36)
	binary.LittleEndian.PutUint16(b[2:], uint16(len(dialects)))
	binary.LittleEndian.PutUint16(b[4:], Mode2SigningEnabled)
	binary.LittleEndian.PutUint32(b[8:], Cap2DFS|Cap2Encryption)
	copy(b[12:28], "client-guid-0001")
	has311 := false
	for _, d := range dialects {
		b = binary.LittleEndian.AppendUint16(b, uint16(d))
		has311 = has311 || d == Dialect311
	}
	if !has311 {
		return b
	}
	for (header2Size+len(b))%8 != 0 {
		b = append(b, 0)
	}
	binary.LittleEndian.PutUint32(b[28:], uint32(header2Size+len(b)))
	binary.LittleEndian.PutUint16(b[32:], 2)
	ctx := func(t ContextType, data []byte) {
		for (header2Size+len(b))%8 != 0 {
			b = append(b, 0)
		}
		b = binary.LittleEndian.AppendUint16(b, uint16(t))
		b = binary.LittleEndian.AppendUint16(b, uint16(len(data)))
		b = append(b, 0, 0, 0, 0)
		b = append(b, data...)
	}
	ctx(ContextPreauthIntegrity, []byte{1, 0, 32, 0, 1, 0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
	ctx(ContextNetName, u16(server))
	return b
}

// negotiate2Response returns an SMB2 NEGOTIATE response body.
func negotiate2Response(d Dialect, blob []byte) []byte {
	b := make([]byte, 64)
	binary.LittleEndian.PutUint16(b, 65)
	binary.LittleEndian.PutUint16(b[2:], Mode2SigningEnabled|Mode2SigningRequired)
	binary.LittleEndian.PutUint16(b[4:], uint16(d))
	copy(b[8:24], "server-guid-0002")
	binary.LittleEndian.PutUint32(b[24:], Cap2DFS|Cap2LargeMTU)
	binary.LittleEndian.PutUint16(b[56:], header2Size+64)
	binary.LittleEndian.PutUint16(b[58:], uint16(len(blob)))
	return append(b, blob...)
}

// sessionSetup2 returns an SMB2 SESSION_SETUP request or response body
// carrying blob.
func sessionSetup2(response bool, blob []byte) []byte {
	if response {
		b := make([]byte, 8)
		binary.LittleEndian.PutUint16(b, 9)
		binary.LittleEndian.PutUint16(b[4:], header2Size+8)
		binary.LittleEndian.PutUint16(b[6:], uint16(len(blob)))
		return append(b, blob...)
	}
	b := make([]byte, 24)
	binary.LittleEndian.PutUint16(b, 25)
	b[3] = Mode2SigningEnabled
	binary.LittleEndian.PutUint16(b[12:], header2Size+24)
	binary.LittleEndian.PutUint16(b[14:], uint16(len(blob)))
	return append(b, blob...)
}

// dialects1 returns the data bytes of an SMB1 NEGOTIATE request.
func dialects1(names ...string) []byte {
	var b []byte
	for _, n := range names {
		b = append(append(append(b, 2), n...), 0)
	}
	return b
}

// write2 returns an SMB2 WRITE request body with n bytes of data.
func write2(n int) []byte {
	b := make([]byte, 48, 48+n)
	binary.LittleEndian.PutUint16(b, 49)
	binary.LittleEndian.PutUint16(b[2:], header2Size+48)
	binary.LittleEndian.PutUint32(b[4:], uint32(n))
	for i := range n {
		b = append(b, byte(i))
	}
	return b
}
