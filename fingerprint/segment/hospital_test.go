package segment

import (
	"net/netip"
	"time"
)

// The small hospital of the tests: imaging, HL7 interfaces, a laboratory,
// bedside monitoring, a pump, IT. MAC addresses are locally administered.

var t0 = time.Date(2025, 3, 4, 8, 0, 0, 0, time.UTC)

func mac(last byte) [6]byte { return [6]byte{0x02, 0x00, 0x5e, 0x10, 0x00, last} }

var hospitalDevices = []Device{
	{Addr: ip("10.10.1.11"), MAC: mac(0x11), HasMAC: true, Name: "CT1", Class: ClassModality},
	{Addr: ip("10.10.1.12"), MAC: mac(0x12), HasMAC: true, Name: "MR1", Class: ClassModality},
	{Addr: ip("10.10.1.13"), Name: "US1", Class: ClassModality},
	{Addr: ip("10.10.2.10"), Name: "PACS1", Class: ClassPACS},
	{Addr: ip("10.10.2.20"), Name: "RADWS1", Class: ClassWorkstation},
	{Addr: ip("10.10.2.30"), Name: "RIS", Class: ClassRIS},
	{Addr: ip("10.10.3.10"), Name: "ENGINE", Class: ClassInterfaceEngine},
	{Addr: ip("10.10.3.20"), Name: "EHR", Class: ClassEHR},
	{Addr: ip("10.10.4.10"), Name: "LIS", Class: ClassLIS},
	{Addr: ip("10.10.4.21"), Name: "CHEM1", Class: ClassLabAnalyser},
	{Addr: ip("10.10.4.22"), Name: "HEMA1", Class: ClassLabAnalyser},
	{Addr: ip("10.10.5.10"), Name: "CENTRAL", Class: ClassMonitorGateway},
	{Addr: ip("10.10.5.11"), Name: "BED1", Class: ClassMonitor},
	{Addr: ip("10.10.5.12"), Name: "BED2", Class: ClassMonitor},
	{Addr: ip("10.10.5.13"), Name: "BED3", Class: ClassMonitor},
	{Addr: ip("10.10.6.11"), Name: "PUMP1", Class: ClassPump},
	{Addr: ip("10.10.8.50"), Name: "OFFICE1", Class: ClassITWorkstation},
	{Addr: ip("10.10.9.10"), Name: "DNS1", Class: ClassITServer},
	{Addr: ip("fd00:10:10::9"), Name: "DNS6", Class: ClassITServer},
}

// hospitalFlow is one line of the hospital's traffic.
type hospitalFlow struct {
	client, server string
	t              Transport
	port           uint16
	proto          string
	count          uint64
}

var hospitalFlows = []hospitalFlow{
	// every modality stores to the PACS: one rule for the class
	{"10.10.1.11", "10.10.2.10", TCP, 104, "dicom", 12},
	{"10.10.1.12", "10.10.2.10", TCP, 104, "dicom", 8},
	{"10.10.1.13", "10.10.2.10", TCP, 104, "dicom", 5},
	// two of three query the worklist: a rule each
	{"10.10.1.11", "10.10.2.30", TCP, 104, "dicom", 3},
	{"10.10.1.12", "10.10.2.30", TCP, 104, "dicom", 2},
	// storage commitment, query/retrieve and the move destination
	{"10.10.2.10", "10.10.1.11", TCP, 104, "dicom", 1},
	{"10.10.2.20", "10.10.2.10", TCP, 104, "dicom", 6},
	{"10.10.2.10", "10.10.2.20", TCP, 11112, "dicom", 6},
	// HL7 through the interface engine
	{"10.10.2.30", "10.10.3.10", TCP, 2575, "hl7", 20},
	{"10.10.3.10", "10.10.3.20", TCP, 2575, "hl7", 40},
	{"10.10.3.20", "10.10.3.10", TCP, 6661, "hl7", 35},
	{"10.10.3.10", "10.10.4.10", TCP, 2575, "hl7", 15},
	{"10.10.4.10", "10.10.3.10", TCP, 2576, "hl7", 14},
	// the analysers report to the LIS
	{"10.10.4.21", "10.10.4.10", TCP, 4001, "astm", 30},
	{"10.10.4.22", "10.10.4.10", TCP, 4001, "astm", 25},
	// the central station polls every monitor; monitors announce themselves
	{"10.10.5.10", "10.10.5.11", UDP, 24105, "intellivue", 4},
	{"10.10.5.10", "10.10.5.12", UDP, 24105, "intellivue", 4},
	{"10.10.5.10", "10.10.5.13", UDP, 24105, "intellivue", 4},
	{"10.10.5.11", "255.255.255.255", UDP, 24005, "intellivue", 9},
	{"10.10.5.12", "255.255.255.255", UDP, 24005, "intellivue", 9},
	{"10.10.5.13", "255.255.255.255", UDP, 24005, "intellivue", 9},
	{"10.10.5.10", "10.10.3.20", TCP, 2575, "hl7", 50},
	// infrastructure
	{"10.10.1.11", "10.10.9.10", UDP, 53, "", 7},
	{"10.10.3.20", "10.10.9.10", UDP, 53, "", 11},
	{"fd00:10:10::20", "fd00:10:10::9", UDP, 53, "", 2}, // an unlisted IPv6 host
	{"10.10.8.50", "10.10.3.20", TCP, 443, "tls", 22},
	{"10.10.8.50", "203.0.113.80", TCP, 443, "tls", 5},
	// the unusual crossings
	{"10.10.1.11", "8.8.8.8", UDP, 53, "", 2},         // a modality asks the internet
	{"10.10.6.11", "10.10.2.20", TCP, 445, "smb", 1},  // a pump talks to a workstation
	{"10.10.1.12", "10.10.2.10", TCP, 80, "http", 1},  // the right pair, not the right protocol
	{"10.10.7.7", "10.10.2.10", TCP, 104, "dicom", 3}, // a device of unknown class
	{"198.51.100.7", "10.10.1.13", TCP, 22, "", 1},    // the internet reaches a modality
}

func ip(s string) netip.Addr { return netip.MustParseAddr(s) }

// hospital returns a Collector holding the hospital's flows.
func hospital() *Collector {
	var c Collector
	for i, h := range hospitalFlows {
		first := t0.Add(time.Duration(i) * time.Minute)
		c.Add(&Flow{Client: ip(h.client), Server: ip(h.server), Transport: h.t, Port: h.port, Protocol: h.proto,
			Count: h.count, Bytes: h.count * 1500, First: first, Last: first.Add(time.Duration(h.count) * time.Second)})
	}
	return &c
}
