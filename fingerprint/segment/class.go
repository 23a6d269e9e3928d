package segment

import (
	"net/netip"
	"strconv"
)

// Class is the kind of a device: one of the constants below, the taxonomy
// of medtap's device database, or any other non-empty string a caller uses
// (such a class takes part only in the [Expectation]s that name it or
// [AnyClass]). The empty string means [ClassUnknown].
type Class string

// The device classes.
const (
	ClassModality        Class = "modality"         // imaging modality (CT, MR, US, CR, ...)
	ClassPACS            Class = "pacs"             // picture archive
	ClassWorkstation     Class = "workstation"      // image viewing or post-processing workstation
	ClassRIS             Class = "ris"              // radiology information system, modality worklist
	ClassMonitor         Class = "monitor"          // patient monitor
	ClassMonitorGateway  Class = "monitor_gateway"  // central station or monitoring gateway
	ClassPump            Class = "pump"             // infusion pump
	ClassPumpGateway     Class = "pump_gateway"     // infusion pump server or gateway
	ClassLabAnalyser     Class = "lab_analyser"     // laboratory analyser or point-of-care device
	ClassLabMiddleware   Class = "lab_middleware"   // laboratory middleware or POCT data manager
	ClassLIS             Class = "lis"              // laboratory information system
	ClassVentilator      Class = "ventilator"       // ventilator
	ClassInterfaceEngine Class = "interface_engine" // HL7 interface engine
	ClassEHR             Class = "ehr"              // electronic health record, HIS
	ClassIoTGateway      Class = "iot_gateway"      // medical device integration or IoT gateway
	ClassPrinter         Class = "printer"          // printer, film printer
	ClassITWorkstation   Class = "it_workstation"   // office PC, laptop
	ClassITServer        Class = "it_server"        // directory, DNS, DHCP, file, update server
	ClassNetwork         Class = "network"          // router, switch, firewall, access point
	ClassUnknown         Class = "unknown"          // not classified (yet)

	// ClassInternet is the class of an address outside the local ranges
	// that no [Device] classifies: a public address, as seen from the
	// hospital, the internet.
	ClassInternet Class = "internet"
	// ClassMulticast is the class of a multicast or limited-broadcast
	// destination that no [Device] classifies.
	ClassMulticast Class = "multicast"

	// AnyClass, in an [Expectation], matches every class but
	// [ClassInternet] and [ClassMulticast], which a row must name.
	AnyClass Class = "*"
)

// classOrder ranks the known classes for output: medical imaging first,
// then monitoring, infusion, laboratory, clinical systems, IT, and the
// pseudo-classes last.
var classOrder = [...]Class{
	ClassModality, ClassPACS, ClassWorkstation, ClassRIS,
	ClassMonitor, ClassMonitorGateway, ClassPump, ClassPumpGateway,
	ClassLabAnalyser, ClassLabMiddleware, ClassLIS, ClassVentilator,
	ClassInterfaceEngine, ClassEHR, ClassIoTGateway, ClassPrinter,
	ClassITWorkstation, ClassITServer, ClassNetwork,
	// other classes rank here, by name
	ClassUnknown, ClassInternet, ClassMulticast,
}

const rankOther = 19 // the index of ClassUnknown: other classes sort before it

func classRank(c Class) int {
	for i, k := range classOrder {
		if k == c {
			if i >= rankOther {
				return i + 1
			}
			return i
		}
	}
	return rankOther
}

// compareClass orders classes by rank, then by name.
func compareClass(a, b Class) int {
	if ra, rb := classRank(a), classRank(b); ra != rb {
		return ra - rb
	}
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// groupable reports whether the devices of class c form a group that a
// rule may name as a whole: not the unknown class, not a pseudo-class.
func groupable(c Class) bool {
	return c != ClassUnknown && c != ClassInternet && c != ClassMulticast && c != AnyClass
}

var cgnat = netip.MustParsePrefix("100.64.0.0/10") // RFC 6598 shared address space

// isLocal reports whether a is in the ranges a hospital network uses for
// itself: RFC 1918 and RFC 4193 private addresses, RFC 6598 shared
// addresses, link-local, loopback and unspecified addresses, and extra.
func isLocal(a netip.Addr, extra []netip.Prefix) bool {
	if a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast() || a.IsUnspecified() || cgnat.Contains(a) {
		return true
	}
	for _, p := range extra {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

var broadcast4 = netip.AddrFrom4([4]byte{255, 255, 255, 255})

func isGroupAddr(a netip.Addr) bool { return a.IsMulticast() || a == broadcast4 }

// Transport is the layer-4 protocol of a flow, by its IP protocol number.
type Transport uint8

// The transports with ports.
const (
	TCP Transport = 6
	UDP Transport = 17
)

// String returns "tcp", "udp", or "ip" and the protocol number.
func (t Transport) String() string {
	switch t {
	case TCP:
		return "tcp"
	case UDP:
		return "udp"
	}
	return "ip" + strconv.Itoa(int(t))
}

// MarshalText returns the String form.
func (t Transport) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// hasPorts reports whether t carries ports.
func (t Transport) hasPorts() bool { return t == TCP || t == UDP }
