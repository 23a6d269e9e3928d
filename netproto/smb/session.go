package smb

import "encoding/binary"

// SessionSetupRequest1 is an SMB1 SESSION_SETUP_ANDX request: with
// extended security a security blob (SPNEGO or bare NTLMSSP), otherwise the
// account and domain names in clear beside the responses to the server's
// challenge (or a plain text password), which are never returned.
type SessionSetupRequest1 struct {
	// WordCount tells the form: 12 with extended security, 13 NT LM 0.12
	// without it, 10 for the LANMAN dialects.
	WordCount    uint8
	MaxBuffer    uint16
	MaxMpxCount  uint16
	VCNumber     uint16
	Capabilities uint32 // Cap1* bits (WordCount 12 and 13)
	SecurityBlob []byte // WordCount 12
	// PasswordLength and UnicodePasswordLength are the lengths of the
	// (case-insensitive, or OEM) and case-sensitive (Unicode) password
	// fields: 24 bytes for LM and NTLMv1 responses, more for NTLMv2, 0 for
	// an anonymous logon.
	PasswordLength, UnicodePasswordLength int
	Account, PrimaryDomain                String // WordCount 13 and 10
	// NativeOS and NativeLanMan are the client's operating system and
	// SMB implementation, such as "Windows 7 Professional 7601 Service
	// Pack 1" and "Windows 7 Professional 6.1", or "Unix" and "Samba".
	NativeOS, NativeLanMan String
}

// SessionSetupRequest1 parses m as an SMB1 SESSION_SETUP_ANDX request.
func (m *Message) SessionSetupRequest1() (SessionSetupRequest1, error) {
	var r SessionSetupRequest1
	if err := m.check(SMB1, uint16(ComSessionSetupAndX), false); err != nil {
		return r, err
	}
	w, data, end, err := m.params1()
	if err != nil {
		return r, err
	}
	r.WordCount = uint8(len(w) / 2)
	if r.WordCount != 10 && r.WordCount != 12 && r.WordCount != 13 {
		return r, m.bodyErr(header1Size)
	}
	r.MaxBuffer = binary.LittleEndian.Uint16(w[4:])
	r.MaxMpxCount = binary.LittleEndian.Uint16(w[6:])
	r.VCNumber = binary.LittleEndian.Uint16(w[8:])
	s := strings1{b: m.Data, off: data, end: end, unicode: m.Header1.Unicode()}
	skip := 0
	switch r.WordCount {
	case 12:
		r.Capabilities = binary.LittleEndian.Uint32(w[20:])
		n := int(binary.LittleEndian.Uint16(w[14:]))
		blob, ok := sub(m.Data[:end], data, n)
		if !ok {
			return r, m.bodyErr(header1Size + 15)
		}
		if n > 0 {
			r.SecurityBlob = blob
		}
		skip = n
	case 13:
		r.PasswordLength = int(binary.LittleEndian.Uint16(w[14:]))
		r.UnicodePasswordLength = int(binary.LittleEndian.Uint16(w[16:]))
		r.Capabilities = binary.LittleEndian.Uint32(w[22:])
		skip = r.PasswordLength + r.UnicodePasswordLength
	case 10:
		r.PasswordLength = int(binary.LittleEndian.Uint16(w[14:]))
		skip = r.PasswordLength
	}
	if skip > end-data {
		return r, m.bodyErr(header1Size + 15)
	}
	s.off += skip
	if r.WordCount != 12 {
		r.Account = s.next(true)
		r.PrimaryDomain = s.next(true)
	}
	r.NativeOS = s.next(true)
	r.NativeLanMan = s.next(true)
	return r, nil
}

// SessionSetupResponse1 is an SMB1 SESSION_SETUP_ANDX response.
type SessionSetupResponse1 struct {
	WordCount uint8  // 4 with extended security, 3 without
	Action    uint16 // bit 0: logged on as guest
	// SecurityBlob is the server's security blob (WordCount 4).
	SecurityBlob []byte
	// NativeOS, NativeLanMan and PrimaryDomain are the server's
	// operating system, SMB implementation and domain, such as "Windows
	// Server 2003 3790 Service Pack 2", or "Windows 6.1" and "Samba
	// 4.17.12-Debian" from Samba.
	NativeOS, NativeLanMan, PrimaryDomain String
}

// SessionSetupResponse1 parses m as an SMB1 SESSION_SETUP_ANDX response. An
// error response (no parameter words) returns a zero value and no error.
func (m *Message) SessionSetupResponse1() (SessionSetupResponse1, error) {
	var r SessionSetupResponse1
	if err := m.check(SMB1, uint16(ComSessionSetupAndX), true); err != nil {
		return r, err
	}
	w, data, end, err := m.params1()
	if err != nil {
		return r, err
	}
	r.WordCount = uint8(len(w) / 2)
	s := strings1{b: m.Data, off: data, end: end, unicode: m.Header1.Unicode()}
	switch r.WordCount {
	case 0:
		return r, nil
	case 4:
		n := int(binary.LittleEndian.Uint16(w[6:]))
		blob, ok := sub(m.Data[:end], data, n)
		if !ok {
			return r, m.bodyErr(header1Size + 7)
		}
		if n > 0 {
			r.SecurityBlob = blob
		}
		s.off += n
	case 3:
	default:
		return r, m.bodyErr(header1Size)
	}
	r.Action = binary.LittleEndian.Uint16(w[4:])
	r.NativeOS = s.next(true)
	r.NativeLanMan = s.next(true)
	r.PrimaryDomain = s.next(true)
	return r, nil
}

// SessionSetupRequest2 is an SMB2 SESSION_SETUP request.
type SessionSetupRequest2 struct {
	Flags             uint8  // 0x01: binding a session to a new channel
	SecurityMode      uint8  // Mode2* bits
	Capabilities      uint32 // Cap2* bits
	PreviousSessionID uint64
	// SecurityBuffer is the client's security blob (SPNEGO, or a bare
	// NTLMSSP or Kerberos token).
	SecurityBuffer []byte
}

// SessionSetupRequest2 parses m as an SMB2 SESSION_SETUP request.
func (m *Message) SessionSetupRequest2() (SessionSetupRequest2, error) {
	var r SessionSetupRequest2
	if err := m.check(SMB2, uint16(SessionSetup2), false); err != nil {
		return r, err
	}
	b := m.Data
	if len(b) < header2Size+24 || binary.LittleEndian.Uint16(b[header2Size:]) != 25 {
		return r, m.bodyErr(header2Size)
	}
	r.Flags, r.SecurityMode = b[66], b[67]
	r.Capabilities = binary.LittleEndian.Uint32(b[68:])
	r.PreviousSessionID = binary.LittleEndian.Uint64(b[80:])
	sec, ok := sub(b, int(binary.LittleEndian.Uint16(b[76:])), int(binary.LittleEndian.Uint16(b[78:])))
	if !ok {
		return r, m.bodyErr(76)
	}
	if len(sec) > 0 {
		r.SecurityBuffer = sec
	}
	return r, nil
}

// SessionSetupResponse2 is an SMB2 SESSION_SETUP response: with the status
// STATUS_MORE_PROCESSING_REQUIRED while authentication goes on, then
// STATUS_SUCCESS.
type SessionSetupResponse2 struct {
	SessionFlags uint16 // 0x01 guest, 0x02 null (anonymous), 0x04 encrypt data
	// SecurityBuffer is the server's security blob.
	SecurityBuffer []byte
}

// SMB2 session flags.
const (
	SessionGuest   = 0x0001
	SessionNull    = 0x0002
	SessionEncrypt = 0x0004
)

// SessionSetupResponse2 parses m as an SMB2 SESSION_SETUP response. An
// error response (a failed logon) returns a zero value and no error.
func (m *Message) SessionSetupResponse2() (SessionSetupResponse2, error) {
	var r SessionSetupResponse2
	if err := m.check(SMB2, uint16(SessionSetup2), true); err != nil {
		return r, err
	}
	if st := m.Header2.Status; st.IsError() && st != StatusMoreProcessingRequired {
		return r, nil
	}
	b := m.Data
	if len(b) < header2Size+8 || binary.LittleEndian.Uint16(b[header2Size:]) != 9 {
		return r, m.bodyErr(header2Size)
	}
	r.SessionFlags = binary.LittleEndian.Uint16(b[66:])
	sec, ok := sub(b, int(binary.LittleEndian.Uint16(b[68:])), int(binary.LittleEndian.Uint16(b[70:])))
	if !ok {
		return r, m.bodyErr(68)
	}
	if len(sec) > 0 {
		r.SecurityBuffer = sec
	}
	return r, nil
}
