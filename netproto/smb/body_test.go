package smb

import (
	"encoding/binary"
	"errors"
	"testing"
)

func parse(t *testing.T, b []byte) Message {
	t.Helper()
	m, err := ParseMessage(b)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestNegotiate2(t *testing.T) {
	m := parse(t, msg2(Negotiate2, 0, 0, negotiate2Request("pacs.radiology.example", Dialect202, Dialect210, Dialect311)))
	r, err := m.NegotiateRequest2()
	if err != nil {
		t.Fatal(err)
	}
	if r.NumDialects() != 3 || r.Dialect(2) != Dialect311 || r.SecurityMode != Mode2SigningEnabled || string(r.ClientGUID[:]) != "client-guid-0001" || r.ClientGUID.IsZero() {
		t.Errorf("request: %+v", r)
	}
	it := r.Contexts()
	var types []ContextType
	var netname string
	for it.Next() {
		types = append(types, it.Type())
		if it.Type() == ContextNetName {
			netname = String{Raw: it.Data(), Unicode: true}.String()
		}
	}
	if it.Err() != nil || len(types) != 2 || types[0] != ContextPreauthIntegrity || netname != "pacs.radiology.example" {
		t.Errorf("contexts %v %q, err %v", types, netname, it.Err())
	}
	// Without 3.1.1 the context fields are ClientStartTime.
	m = parse(t, msg2(Negotiate2, 0, 0, negotiate2Request("", Dialect202, Dialect210)))
	r, _ = m.NegotiateRequest2()
	if it := r.Contexts(); it.Next() {
		t.Error("contexts without 3.1.1")
	}

	m = parse(t, msg2(Negotiate2, Flag2Response, 0, negotiate2Response(Dialect302, []byte("hints"))))
	resp, err := m.NegotiateResponse2()
	if err != nil {
		t.Fatal(err)
	}
	if resp.Dialect != Dialect302 || string(resp.SecurityBuffer) != "hints" || string(resp.ServerGUID[:]) != "server-guid-0002" ||
		resp.SecurityMode != 3 || resp.Capabilities != Cap2DFS|Cap2LargeMTU {
		t.Errorf("response: %+v", resp)
	}
}

func TestSessionSetup1(t *testing.T) {
	// A non-extended NT LM 0.12 session setup in Unicode, as Windows XP sends
	// it: passwords of 24 bytes each, then (aligned) account, domain, OS and
	// LAN manager.
	words := make([]byte, 26)
	binary.LittleEndian.PutUint16(words[14:], 24)
	binary.LittleEndian.PutUint16(words[16:], 24)
	// The data starts at offset 61 (odd): 48 bytes of passwords reach 109,
	// so a pad byte aligns the account name to 110.
	data := append(make([]byte, 48), 0)
	for _, s := range []string{"jsmith", "RADIOLOGY", "Windows 2002 Service Pack 3 2600", "Windows 2002 5.1"} {
		data = append(append(data, u16(s)...), 0, 0)
	}
	m := parse(t, msg1(ComSessionSetupAndX, 0, 0xc803, words, data))
	r, err := m.SessionSetupRequest1()
	if err != nil {
		t.Fatal(err)
	}
	if r.WordCount != 13 || r.PasswordLength != 24 || r.UnicodePasswordLength != 24 || r.Account.String() != "jsmith" ||
		r.PrimaryDomain.String() != "RADIOLOGY" || r.NativeOS.String() != "Windows 2002 Service Pack 3 2600" ||
		r.NativeLanMan.String() != "Windows 2002 5.1" {
		t.Errorf("got %+v (%q %q %q %q)", r, r.Account.String(), r.PrimaryDomain.String(), r.NativeOS.String(), r.NativeLanMan.String())
	}

	// Extended security with a bare NTLMSSP blob and OEM strings.
	words = make([]byte, 24)
	binary.LittleEndian.PutUint16(words[14:], 16)
	m = parse(t, msg1(ComSessionSetupAndX, 0, 0x0801, words, []byte("NTLMSSP\x00\x01\x00\x00\x00\x00\x00\x00\x00Unix\x00Samba\x00")))
	r, err = m.SessionSetupRequest1()
	if err != nil {
		t.Fatal(err)
	}
	if string(r.SecurityBlob[:7]) != "NTLMSSP" || r.NativeOS.String() != "Unix" || r.NativeLanMan.String() != "Samba" {
		t.Errorf("extended: %+v", r)
	}

	// The response, extended, with an odd blob length before Unicode strings.
	words = make([]byte, 8)
	binary.LittleEndian.PutUint16(words[6:], 3)
	data = []byte("abc") // data at 43, the blob ends at 46: aligned already
	for _, s := range []string{"Windows Server 2003 3790 Service Pack 2", "Windows Server 2003 5.2", "RADIOLOGY"} {
		data = append(append(data, u16(s)...), 0, 0)
	}
	m = parse(t, msg1(ComSessionSetupAndX, 0x80, 0xc803, words, data))
	resp, err := m.SessionSetupResponse1()
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.SecurityBlob) != "abc" || resp.NativeOS.String() != "Windows Server 2003 3790 Service Pack 2" ||
		resp.PrimaryDomain.String() != "RADIOLOGY" {
		t.Errorf("response: %+v", resp)
	}
}

func TestNegotiate1(t *testing.T) {
	m := parse(t, msg1(ComNegotiate, 0, 0xc853, nil, dialects1("PC NETWORK PROGRAM 1.0", "LANMAN1.0", "NT LM 0.12")))
	r, err := m.NegotiateRequest1()
	if err != nil {
		t.Fatal(err)
	}
	it := r.Dialects()
	var got []string
	for it.Next() {
		got = append(got, string(it.Value()))
	}
	if it.Err() != nil || len(got) != 3 || got[2] != "NT LM 0.12" || it.Index() != 2 {
		t.Errorf("dialects %q, err %v", got, it.Err())
	}
	// Non-extended response: challenge, then the domain and server names.
	words := make([]byte, 34)
	binary.LittleEndian.PutUint16(words, 2)
	words[2] = Mode1UserSecurity | Mode1EncryptPasswords
	binary.LittleEndian.PutUint32(words[19:], Cap1Unicode|Cap1NTStatus)
	words[33] = 8
	data := append(make([]byte, 8), append(append(u16("RADIOLOGY"), 0, 0), append(u16("PACS-DC01"), 0, 0)...)...)
	m = parse(t, msg1(ComNegotiate, 0x80, 0xc001, words, data))
	resp, err := m.NegotiateResponse1()
	if err != nil {
		t.Fatal(err)
	}
	if resp.DialectIndex != 2 || resp.WordCount != 17 || resp.DomainName.String() != "RADIOLOGY" || resp.ServerName.String() != "PACS-DC01" {
		t.Errorf("response: %+v", resp)
	}
}

func TestBodyErrors(t *testing.T) {
	echo := parse(t, msg2(Echo2, 0, 0, []byte{4, 0, 0, 0}))
	badSize := parse(t, msg2(Negotiate2, 0, 0, make([]byte, 36)))
	manyDialects := msg2(Negotiate2, 0, 0, negotiate2Request("", Dialect202))
	binary.LittleEndian.PutUint16(manyDialects[66:], 100)
	badContexts := msg2(Negotiate2, 0, 0, negotiate2Request("x", Dialect311))
	binary.LittleEndian.PutUint16(badContexts[96:], 5) // five contexts, two there
	badBlob := msg2(SessionSetup2, 0, 0, sessionSetup2(false, []byte("blob")))
	binary.LittleEndian.PutUint16(badBlob[78:], 200)
	badDialect := parse(t, msg1(ComNegotiate, 0, 0, nil, []byte{3, 'x', 0}))
	badCount := msg1(ComNegotiate, 0, 0, nil, dialects1("NT LM 0.12"))
	binary.LittleEndian.PutUint16(badCount[33:], 300)
	tests := []struct {
		name string
		run  func() error
		want error
		at   int64
	}{
		{"wrong command", func() error { _, err := echo.NegotiateRequest2(); return err }, ErrCommand, 0},
		{"wrong direction", func() error { _, err := echo.SessionSetupResponse2(); return err }, ErrCommand, 0},
		{"wrong version", func() error { _, err := echo.NegotiateRequest1(); return err }, ErrCommand, 0},
		{"structure size", func() error { _, err := badSize.NegotiateRequest2(); return err }, ErrBody, 64},
		{"dialect count", func() error { m := parse(t, manyDialects); _, err := m.NegotiateRequest2(); return err }, ErrBody, 66},
		{"contexts", func() error {
			m := parse(t, badContexts)
			r, err := m.NegotiateRequest2()
			if err != nil {
				return err
			}
			it := r.Contexts()
			for it.Next() {
			}
			return it.Err()
		}, ErrBody, int64(len(badContexts))},
		{"security buffer", func() error { m := parse(t, badBlob); _, err := m.SessionSetupRequest2(); return err }, ErrBody, 76},
		{"dialect format", func() error {
			r, _ := badDialect.NegotiateRequest1()
			it := r.Dialects()
			for it.Next() {
			}
			return it.Err()
		}, ErrBody, 35},
		{"byte count", func() error { m := parse(t, badCount); _, err := m.NegotiateRequest1(); return err }, ErrBody, 33},
		{"word count", func() error {
			m := parse(t, msg1(ComSessionSetupAndX, 0, 0, make([]byte, 4), nil))
			_, err := m.SessionSetupRequest1()
			return err
		}, ErrBody, 32},
		{"parse next command", func() error {
			b := msg2(Echo2, 0, 0, []byte{4, 0, 0, 0})
			binary.LittleEndian.PutUint32(b[20:], 64)
			_, err := ParseMessage(b)
			return err
		}, ErrHeader, 20},
		{"parse not SMB", func() error { _, err := ParseMessage([]byte("\xfeSMX")); return err }, ErrNotSMB, 0},
	}
	for _, tt := range tests {
		err := tt.run()
		var e *Error
		if !errors.Is(err, tt.want) || !errors.As(err, &e) || e.Offset != tt.at {
			t.Errorf("%s: err = %v, want %v at %d", tt.name, err, tt.want, tt.at)
		}
	}
}

func TestCodes(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{Dialect311.String(), "3.1.1"},
		{DialectWildcard.String(), "2.???"},
		{Dialect(0x0400).String(), "0x0400"},
		{SessionSetup2.String(), "SESSION_SETUP"},
		{Command2(0x20).String(), "Command2(0x20)"},
		{ComSessionSetupAndX.String(), "SESSION_SETUP_ANDX"},
		{Command1(0xee).String(), "Command1(0xee)"},
		{StatusLogonFailure.String(), "STATUS_LOGON_FAILURE"},
		{Status(0xc0000225).String(), "0xc0000225"},
		{Status(1).String(), "0x00000001"},
		{ContextNetName.String(), "NETNAME_NEGOTIATE_CONTEXT_ID"},
		{ContextType(0x100).String(), "ContextType(0x100)"},
		{SMB1.String(), "SMB1"},
		{Protocol(3).String(), "Protocol(0x3)"},
		{NetBIOSRequest.String(), "session request"},
		{NetBIOSType(0x99).String(), "NetBIOSType(0x99)"},
		{GUID([16]byte([]byte("pacsfs01\x00\x00\x00\x00\x00\x00\x00\x01"))).String(), "73636170-7366-3130-0000-000000000001"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	if !StatusLogonFailure.IsError() || StatusSuccess.IsError() || StatusNoMoreFiles.IsError() {
		t.Error("IsError")
	}
}
