package ntlmssp

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf16"
)

// The messages a Windows 7 SP1 workstation and a Windows Server 2008 R2
// domain controller exchange, built field by field as MS-NLMP lays them out.
var (
	win7 = Version{Major: 6, Minor: 1, Build: 7601, Revision: 15}
	srv  = Version{Major: 6, Minor: 1, Build: 7601, Revision: 15}
)

func u16(s string) []byte {
	var b []byte
	for _, r := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, r)
	}
	return b
}

type av struct {
	id  AVID
	val []byte
}

func avList(pairs ...av) []byte {
	var b []byte
	for _, p := range pairs {
		b = binary.LittleEndian.AppendUint16(b, uint16(p.id))
		b = binary.LittleEndian.AppendUint16(b, uint16(len(p.val)))
		b = append(b, p.val...)
	}
	return append(b, 0, 0, 0, 0)
}

// layout lays out a message: the fixed part of size fixed (signature and type
// written here, the rest by set), then the payloads of the fields at the
// descriptor offsets given, in order.
func layout(typ MessageType, fixed int, set func(b []byte), payloads map[int][]byte, order ...int) []byte {
	b := make([]byte, fixed)
	copy(b, Signature)
	binary.LittleEndian.PutUint32(b[8:], uint32(typ))
	set(b)
	for _, at := range order {
		p := payloads[at]
		binary.LittleEndian.PutUint16(b[at:], uint16(len(p)))
		binary.LittleEndian.PutUint16(b[at+2:], uint16(len(p)))
		binary.LittleEndian.PutUint32(b[at+4:], uint32(len(b)))
		b = append(b, p...)
	}
	return b
}

func putVersion(b []byte, v Version) {
	b[0], b[1] = v.Major, v.Minor
	binary.LittleEndian.PutUint16(b[2:], v.Build)
	b[7] = v.Revision
}

func negotiateMsg(flags Flags, v Version, domain, workstation string) []byte {
	return layout(TypeNegotiate, 40, func(b []byte) {
		binary.LittleEndian.PutUint32(b[negFlags:], uint32(flags))
		putVersion(b[negVersion:], v)
	}, map[int][]byte{negDomain: []byte(domain), negWorkstation: []byte(workstation)}, negDomain, negWorkstation)
}

func challengeMsg(flags Flags, v Version, target string, info []byte) []byte {
	return layout(TypeChallenge, 56, func(b []byte) {
		binary.LittleEndian.PutUint32(b[chalFlags:], uint32(flags))
		copy(b[24:], "\x01\x23\x45\x67\x89\xab\xcd\xef") // server challenge
		putVersion(b[chalVersion:], v)
	}, map[int][]byte{chalTarget: u16(target), chalInfo: info}, chalTarget, chalInfo)
}

func authMsg(flags Flags, v Version, lm, nt int, domain, user, workstation string) []byte {
	enc := func(s string) []byte {
		if flags&FlagUnicode != 0 {
			return u16(s)
		}
		return []byte(s)
	}
	return layout(TypeAuthenticate, 88, func(b []byte) {
		binary.LittleEndian.PutUint32(b[authFlags:], uint32(flags))
		putVersion(b[authVersion:], v)
	}, map[int][]byte{
		authLM: make([]byte, lm), authNT: make([]byte, nt), authDomain: enc(domain),
		authUser: enc(user), authWorkstation: enc(workstation), authKey: make([]byte, 16),
	}, authDomain, authUser, authWorkstation, authLM, authNT, authKey)
}

var win7Info = avList(
	av{AVNbDomainName, u16("RADIOLOGY")},
	av{AVNbComputerName, u16("PACS-DC01")},
	av{AVDNSDomainName, u16("radiology.example")},
	av{AVDNSComputerName, u16("pacs-dc01.radiology.example")},
	av{AVDNSTreeName, u16("example")},
	av{AVTimestamp, []byte{0x00, 0x40, 0x6d, 0x25, 0xeb, 0x53, 0xbf, 0x01}}, // 2000-01-01 00:00:00 UTC
)

const (
	win7Flags = FlagUnicode | FlagRequestTarget | FlagNTLM | FlagAlwaysSign | FlagExtendedSessionSecurity |
		FlagVersion | Flag128 | FlagKeyExchange | Flag56
	win7ChallengeFlags = win7Flags | FlagTargetTypeDomain | FlagTargetInfo
)

// sambaBlob returns a security blob recorded from Samba 4.17 (see
// ../smb/testdata/record.sh).
func sambaBlob(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "samba-"+name+".spnego"))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}
