package lldp

import (
	"testing"

	"github.com/medtap/medtap/internal/pcaptest"
)

// tlv builds one TLV.
func tlv(typ TLVType, value ...byte) []byte {
	return append([]byte{byte(typ)<<1 | byte(len(value)>>8), byte(len(value))}, value...)
}

func org(oui uint32, subtype byte, info ...byte) []byte {
	return tlv(TypeOrgSpecific, append([]byte{byte(oui >> 16), byte(oui >> 8), byte(oui), subtype}, info...)...)
}

func str(typ TLVType, s string) []byte { return tlv(typ, []byte(s)...) }

func cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

// mandatory is a chassis id (MAC), a port id (interface name) and a TTL of
// 120 s.
func mandatory() []byte {
	return cat(
		tlv(TypeChassisID, 4, 0x00, 0x1b, 0x21, 0xaa, 0xbb, 0xcc),
		tlv(TypePortID, append([]byte{5}, "Gi1/0/7"...)...),
		tlv(TypeTTL, 0, 120),
	)
}

// fullLLDPDU has one TLV of every kind Parse decodes, then End and padding.
func fullLLDPDU() []byte {
	return cat(mandatory(),
		str(TypePortDescription, "ward 7 bed 3"),
		str(TypeSystemName, "pump-07.ward7.example"),
		str(TypeSystemDescription, "Contoso IP-300 fw 2.4.1"),
		tlv(TypeSystemCapabilities, 0x00, 0xa4, 0x00, 0x20),
		tlv(TypeManagementAddress, 5, 1, 10, 216, 0, 11, 2, 0, 0, 0, 3, 0),
		tlv(TypeManagementAddress, append(append([]byte{17, 2}, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0b), 3, 0, 0, 0, 9, 3, 0x2b, 6, 1)...),
		tlv(TypeManagementAddress, 7, 6, 0x02, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0),
		org(OUIIEEE8021, 1, 0x01, 0xf4),
		org(OUIIEEE8023, 4, 0x05, 0xee),
		org(OUIMED, 1, 0x00, 0x33, 3),
		org(OUIMED, 2, 1, 0x43, 0xe9, 0xae), // voice, tagged, VLAN 500, priority 6, DSCP 46
		org(OUIMED, 5, []byte("rev C")...),
		org(OUIMED, 6, []byte("2.4.1")...),
		org(OUIMED, 7, []byte("2.4.1-77")...),
		org(OUIMED, 8, []byte("CM300-0042")...),
		org(OUIMED, 9, []byte("Contoso Medical")...),
		org(OUIMED, 10, []byte("IP-300")...),
		org(OUIMED, 11, []byte("BIOMED-11873")...),
		org(0x00000c, 1, 0xde, 0xad),
		tlv(42, 1, 2, 3), // reserved type: skipped
		tlv(TypeEnd), []byte{0, 0, 0, 0})
}

// lldpdus returns the LLDPDUs of the frames of a capture.
func lldpdus(tb testing.TB, name string) [][]byte { return pcaptest.EtherPayloads(tb, name, 0x88cc) }
