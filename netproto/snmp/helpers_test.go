package snmp

import (
	"testing"

	"github.com/medtap/medtap/internal/pcaptest"
)

// tlv builds a BER element with a definite length.
func tlv(tag byte, parts ...[]byte) []byte {
	var v []byte
	for _, p := range parts {
		v = append(v, p...)
	}
	b := []byte{tag}
	switch n := len(v); {
	case n < 0x80:
		b = append(b, byte(n))
	case n <= 0xff:
		b = append(b, 0x81, byte(n))
	default:
		b = append(b, 0x82, byte(n>>8), byte(n))
	}
	return append(b, v...)
}

func integer(v int64) []byte {
	var b []byte
	for {
		b = append([]byte{byte(v)}, b...)
		if (v >= -128 && v < 128) || len(b) == 8 {
			break
		}
		v >>= 8
	}
	return tlv(TagInteger, b)
}

func octets(s string) []byte { return tlv(TagOctetString, []byte(s)) }

func oid(s string) []byte { return tlv(TagOID, MustParseOID(s).Bytes()) }

func varbind(name string, value []byte) []byte { return tlv(TagSequence, oid(name), value) }

// message builds an SNMPv1/v2c message.
func message(version int64, community string, pdu []byte) []byte {
	return tlv(TagSequence, integer(version), octets(community), pdu)
}

// pdu builds a PDU with a request id, error status and index, and the
// variable bindings.
func pdu(t PDUType, id, status, index int64, vbs ...[]byte) []byte {
	return tlv(byte(t), integer(id), integer(status), integer(index), tlv(TagSequence, vbs...))
}

// sysResponse is a v2c response carrying the system group's identity
// objects and one value of every other type.
func sysResponse() []byte {
	return message(1, "public", pdu(Response, 1234, 0, 0,
		varbind("1.3.6.1.2.1.1.1.0", octets("Contoso PG-2, Linux 5.10")),
		varbind("1.3.6.1.2.1.1.2.0", oid("1.3.6.1.4.1.19816.1.2")),
		varbind("1.3.6.1.2.1.1.3.0", tlv(byte(TypeTimeTicks), []byte{0x00, 0x9a, 0x0c})),
		varbind("1.3.6.1.2.1.1.4.0", octets("biomed@ward7.example")),
		varbind("1.3.6.1.2.1.1.5.0", octets("pacs-gw")),
		varbind("1.3.6.1.2.1.1.6.0", octets("Ward 7")),
		varbind("1.3.6.1.2.1.2.2.1.10.1", tlv(byte(TypeCounter32), []byte{0x00, 0xff, 0xff, 0xff, 0xff})),
		varbind("1.3.6.1.2.1.2.2.1.5.1", tlv(byte(TypeGauge32), []byte{0x3b, 0x9a, 0xca, 0x00})),
		varbind("1.3.6.1.2.1.31.1.1.1.6.1", tlv(byte(TypeCounter64), []byte{0x01, 0, 0, 0, 0, 0, 0, 0x02})),
		varbind("1.3.6.1.2.1.4.20.1.1.10.216.0.20", tlv(byte(TypeIPAddress), []byte{10, 216, 0, 20})),
		varbind("1.3.6.1.2.1.2.2.1.1.1", integer(-5)),
		varbind("1.3.6.1.2.1.1.99.0", tlv(byte(TypeNoSuchObject))),
		varbind("1.3.6.1.9", tlv(byte(TypeEndOfMibView))),
	))
}

func datagrams(tb testing.TB) [][]byte { return pcaptest.UDPPayloads(tb, "testdata/snmp.pcap") }
