package ntlmssp

import (
	"encoding/binary"
	"errors"
	"testing"
	"time"
)

func TestParseWindows(t *testing.T) {
	neg := negotiateMsg(win7Flags|FlagOEMDomainSupplied|FlagOEMWorkstationSupplied, win7, "RADIOLOGY", "CT-WS07")
	m, err := Parse(neg)
	if err != nil {
		t.Fatal(err)
	}
	if m.Type != TypeNegotiate || m.Version != win7 || m.Domain.String() != "RADIOLOGY" || m.Workstation.String() != "CT-WS07" {
		t.Errorf("NEGOTIATE = %+v", m)
	}

	m, err = Parse(challengeMsg(win7ChallengeFlags, srv, "RADIOLOGY", win7Info))
	if err != nil {
		t.Fatal(err)
	}
	if m.Type != TypeChallenge || m.Version != srv || m.TargetName.String() != "RADIOLOGY" {
		t.Errorf("CHALLENGE = %+v", m)
	}
	tg, err := m.Target()
	if err != nil {
		t.Fatal(err)
	}
	got := [...]string{tg.NetBIOSComputer.String(), tg.NetBIOSDomain.String(), tg.DNSComputer.String(), tg.DNSDomain.String(), tg.DNSTree.String()}
	want := [...]string{"PACS-DC01", "RADIOLOGY", "pacs-dc01.radiology.example", "radiology.example", "example"}
	if got != want {
		t.Errorf("target names = %q, want %q", got, want)
	}
	if at := tg.Time(); !at.Equal(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("timestamp = %v", at)
	}

	m, err = Parse(authMsg(win7Flags, win7, 24, 318, "RADIOLOGY", "jsmith", "CT-WS07"))
	if err != nil {
		t.Fatal(err)
	}
	if m.Type != TypeAuthenticate || m.User.String() != "jsmith" || m.Domain.String() != "RADIOLOGY" ||
		m.Workstation.String() != "CT-WS07" || m.Version != win7 || m.Response != ResponseNTLMv2 {
		t.Errorf("AUTHENTICATE = %+v", m)
	}
}

func TestParseTable(t *testing.T) {
	oem := win7Flags &^ FlagUnicode
	noVersion := negotiateMsg(win7Flags&^FlagVersion, win7, "", "")
	// A NEGOTIATE whose payload starts where the Version would be: no Version.
	overlap := negotiateMsg(win7Flags, Version{}, "", "WS")
	binary.LittleEndian.PutUint32(overlap[negWorkstation+4:], negVersion)
	badField := challengeMsg(win7ChallengeFlags, srv, "RADIOLOGY", win7Info)
	binary.LittleEndian.PutUint32(badField[chalInfo+4:], uint32(len(badField)-2))
	tests := []struct {
		name     string
		in       []byte
		typ      MessageType
		version  Version
		user     string
		response Response
		err      error
		offset   int64
	}{
		{"no version flag", noVersion, TypeNegotiate, Version{}, "", ResponseNone, nil, 0},
		{"payload over version", overlap, TypeNegotiate, Version{}, "", ResponseNone, nil, 0},
		{"ntlmv1", authMsg(win7Flags, win7, 24, 24, "D", "u", "W"), TypeAuthenticate, win7, "u", ResponseNTLMv1, nil, 0},
		{"lm only", authMsg(oem, win7, 24, 0, "D", "u", "W"), TypeAuthenticate, win7, "u", ResponseLM, nil, 0},
		{"anonymous", authMsg(win7Flags|FlagAnonymous, win7, 1, 0, "", "", "W"), TypeAuthenticate, win7, "", ResponseAnonymous, nil, 0},
		{"bad signature", []byte("NTLMSSQ\x00\x01\x00\x00\x00"), 0, Version{}, "", ResponseNone, ErrSignature, 0},
		{"short", []byte("NTLMSSP\x00\x01"), 0, Version{}, "", ResponseNone, ErrSignature, 0},
		{"unknown type", []byte("NTLMSSP\x00\x04\x00\x00\x00\x00\x00\x00\x00"), 0, Version{}, "", ResponseNone, ErrType, 8},
		{"truncated negotiate", []byte("NTLMSSP\x00\x01\x00\x00\x00\x01"), 0, Version{}, "", ResponseNone, ErrTruncated, 13},
		{"truncated authenticate", authMsg(win7Flags, win7, 24, 24, "D", "u", "W")[:60], 0, Version{}, "", ResponseNone, ErrTruncated, 60},
		{"field outside", badField, 0, Version{}, "", ResponseNone, ErrField, chalInfo},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse(tt.in)
			if tt.err != nil {
				var e *Error
				if !errors.Is(err, tt.err) || !errors.As(err, &e) || e.ByteOffset() != tt.offset {
					t.Fatalf("err = %v, want %v at %d", err, tt.err, tt.offset)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if m.Type != tt.typ || m.Version != tt.version || m.User.String() != tt.user || m.Response != tt.response {
				t.Errorf("got %v %v user %q %v, want %v %v %q %v", m.Type, m.Version, m.User.String(), m.Response,
					tt.typ, tt.version, tt.user, tt.response)
			}
		})
	}
}

func TestSamba(t *testing.T) {
	parse := func(name string) Message {
		tok, err := Unwrap(sambaBlob(t, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		m, err := Parse(tok)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return m
	}
	samba := Version{Major: 6, Minor: 1, Build: 0, Revision: 15}
	if m := parse("negotiate"); m.Type != TypeNegotiate || m.Version != samba {
		t.Errorf("negotiate: %+v", m)
	}
	m := parse("challenge")
	if m.Type != TypeChallenge || m.Version != samba || m.Version.OS() != "Samba (6.1.0)" || m.TargetName.String() != "PACSFS01" {
		t.Errorf("challenge: %+v", m)
	}
	tg, err := m.Target()
	if err != nil {
		t.Fatal(err)
	}
	if tg.NetBIOSComputer.String() != "PACSFS01" || tg.NetBIOSDomain.String() != "PACSFS01" ||
		tg.DNSComputer.String() != "pacsfs01.radiology.example" || tg.DNSDomain.String() != "radiology.example" ||
		!tg.DNSTree.IsEmpty() || tg.Time().Year() != 2026 {
		t.Errorf("target: %+v at %v", tg, tg.Time())
	}
	m = parse("authenticate")
	if m.User.String() != "radtech" || m.Domain.String() != "RADIOLOGY" || m.Workstation.String() != "RADWS07" ||
		m.Response != ResponseNTLMv2 || m.Version != samba {
		t.Errorf("authenticate: %+v", m)
	}
	m = parse("anonymous")
	if !m.User.IsEmpty() || !m.Domain.IsEmpty() || m.Workstation.String() != "RADWS07" || m.Response != ResponseAnonymous {
		t.Errorf("anonymous: %+v", m)
	}
}

func TestAVPairsMalformed(t *testing.T) {
	info := avList(av{AVNbComputerName, u16("PACS")})
	binary.LittleEndian.PutUint16(info[2:], 200) // longer than the list
	it := NewAVPairs(info)
	for it.Next() {
		t.Errorf("pair %v yielded", it.ID())
	}
	var e *Error
	if !errors.Is(it.Err(), ErrAVPair) || !errors.As(it.Err(), &e) || e.Offset != 0 {
		t.Errorf("err = %v", it.Err())
	}
	// Without MsvAvEOL the list ends with the bytes.
	it = NewAVPairs(avList(av{AVNbComputerName, u16("PACS")})[:12])
	n := 0
	for it.Next() {
		n++
	}
	if n != 1 || it.Err() != nil {
		t.Errorf("%d pairs, err %v", n, it.Err())
	}
}

func TestStrings(t *testing.T) {
	tests := []struct {
		in   String
		want string
	}{
		{String{Raw: u16("Röntgen-PC"), Unicode: true}, "Röntgen-PC"},
		{String{Raw: u16("𝄞 CT"), Unicode: true}, "𝄞 CT"},                       // a surrogate pair
		{String{Raw: []byte{0x3d, 0xd8, 0x41, 0x00}, Unicode: true}, "\uFFFDA"}, // an unpaired high surrogate
		{String{Raw: []byte{0x41, 0x00, 0x42}, Unicode: true}, "A\uFFFD"},       // an odd byte
		{String{Raw: []byte("WS07")}, "WS07"},                                   // OEM
		{String{Raw: []byte("R\xf6ntgen")}, "R\xf6ntgen"},                       // OEM bytes pass unchanged
	}
	for _, tt := range tests {
		if got := tt.in.String(); got != tt.want {
			t.Errorf("%x: got %q, want %q", tt.in.Raw, got, tt.want)
		}
	}
}

func TestNames(t *testing.T) {
	if got := (Flags(0x628a8215)).String(); got != "UNICODE|REQUEST_TARGET|SIGN|NTLM|ALWAYS_SIGN|TARGET_TYPE_SERVER|EXTENDED_SESSIONSECURITY|TARGET_INFO|VERSION|128|KEY_EXCH" {
		t.Errorf("flags: %s", got)
	}
	if got := (FlagUnicode | 0x8).String(); got != "UNICODE|0x8" {
		t.Errorf("flags: %s", got)
	}
	for _, c := range []struct{ got, want string }{
		{Flags(0).String(), "0"},
		{TypeChallenge.String(), "CHALLENGE"},
		{MessageType(7).String(), "MessageType(7)"},
		{AVDNSTreeName.String(), "MsvAvDnsTreeName"},
		{AVID(99).String(), "AVID(99)"},
		{ResponseNTLMv2.String(), "ntlmv2"},
		{Response(9).String(), "Response(9)"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestSniff(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want bool
	}{
		{"NTLMSSP\x00\x01\x00\x00\x00", true},
		{"NTLMSSP\x00\x03\x00\x00\x00\x00", true},
		{"NTLMSSP\x00\x04\x00\x00\x00", false},
		{"NTLMSSP\x00\x01\x00\x00", false},
		{"NTLMSSP\x01\x01\x00\x00\x00", false},
		{"", false},
	} {
		if got := Sniff([]byte(tt.in)); got != tt.want {
			t.Errorf("Sniff(%q) = %v", tt.in, got)
		}
	}
}
