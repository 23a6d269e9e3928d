// Package cdp decodes the Cisco Discovery Protocol: the advertisement Cisco
// switches, routers, IP phones and many other devices multicast to
// 01:00:0c:cc:cc:cc in 802.3 frames with an LLC/SNAP header (Cisco's OUI
// 00:00:0c, protocol id 0x2000).
//
// [Reader] is a cursor over the TLVs of one CDP packet (what follows the
// SNAP header). [Parse] reads a packet into a [Packet]: version, time to
// live and checksum (verified, including Cisco's handling of an odd length),
// device id, addresses, port id, capabilities, software version, platform,
// VTP management domain, native VLAN, duplex, system name and management
// addresses.
//
// Everything is a view into the caller's bytes, valid as long as they are.
// Neither Reader, Parse nor [Sniff] allocates; an error (an [*Error] with the
// offset of the offending TLV, wrapping one of the Err sentinels) is the
// only thing that does.
package cdp
