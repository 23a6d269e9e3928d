// Package lldp decodes the Link Layer Discovery Protocol (IEEE 802.1AB,
// EtherType 0x88cc): the LLDPDU a switch, phone, printer or medical device
// multicasts on its link every 30 s or so to say who it is.
//
// [Reader] is a cursor over the TLVs of one LLDPDU. [Parse] reads a whole
// LLDPDU into an [Advertisement]: chassis and port id with their subtypes,
// time to live, port description, system name and description, system
// capabilities (supported and enabled), management addresses (IPv4, IPv6 or
// other families, with their interface numbering and OID), and the
// organisationally specific TLVs: LLDP-MED (ANSI/TIA-1057: capabilities and
// device class, network policies, and the inventory TLVs: hardware,
// firmware and software revision, serial number, manufacturer, model, asset
// id), the IEEE 802.1 port VLAN id, and every other one by OUI and subtype
// ([OrgTLV]).
//
// Everything is a view into the caller's bytes, valid as long as they are.
// Neither Reader, Parse nor [Sniff] allocates; an error (an [*Error] with the
// offset of the offending TLV, wrapping one of the Err sentinels) is the
// only thing that does.
package lldp
