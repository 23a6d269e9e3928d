package main

import "strings"

// A family groups the rows of one product line or toolkit.
type family struct {
	vendor, product string // substrings of the row's vendor and product columns ("" any)
	root            bool   // the row is an org root ("any product under this org root")
	id, name        string // entry ID and product
	kind, class     string
	modality, os    string
}

var families = []family{
	{vendor: "OFFIS", id: "dcmtk", name: "DCMTK", kind: "software"},
	{vendor: "OsiriX / Horos", id: "horos-osirix", name: "OsiriX / Horos", class: "workstation", os: "macOS"},
	{vendor: "pydicom project", product: "pynetdicom", id: "pynetdicom", name: "pynetdicom", kind: "software"},
	{vendor: "pydicom project", id: "pydicom", name: "pydicom", kind: "software"},
	{vendor: "GDCM project", id: "gdcm", name: "GDCM", kind: "software"},
	{vendor: "fo-dicom", id: "fo-dicom", name: "fo-dicom", kind: "software"},
	{vendor: "ClearCanvas", id: "clearcanvas", name: "ClearCanvas Workstation / ImageServer", class: "workstation"},
	{vendor: "dcm4che", id: "dcm4che", name: "dcm4che", kind: "software"},
	{vendor: "Conquest", id: "conquest", name: "Conquest DICOM server", class: "pacs"},
	{vendor: "DICOM-rs", id: "dicom-rs", name: "dicom-rs", kind: "software"},
	{vendor: "grailbio", id: "go-dicom", name: "go-dicom", kind: "software"},
	{vendor: "dcmjs-org", id: "dcmjs", name: "dcmjs", kind: "software"},
	{vendor: "Pantelis Georgiadis", id: "dcmjs-dimse", name: "dcmjs-dimse", kind: "software"},
	{vendor: "Evil DICOM", id: "evil-dicom", name: "Evil DICOM", kind: "software"},
	{vendor: "PixelMed", id: "pixelmed", name: "PixelMed toolkit / dicom3tools", kind: "software"},
	{vendor: "highdicom", id: "highdicom", name: "highdicom", kind: "software"},
	{vendor: "synedra", id: "synedra", name: "synedra (DCMTK 3.6.0 based)"},
	{vendor: "INFINITT", id: "infinitt-pacs", name: "INFINITT PACS", class: "pacs"},
	{vendor: "Mitra Imaging", id: "mitra", name: "Mitra DICOM toolkit / PACS broker", kind: "software"},
	{vendor: "Hewlett-Packard", id: "hp-ultrasound", name: "HP ultrasound", class: "modality", modality: "US"},
	{vendor: "GE Healthcare", root: true, id: "ge-healthcare"},
	{vendor: "GE Healthcare", product: "SIGNA", id: "ge-signa-mr", name: "SIGNA MR", class: "modality", modality: "MR"},
	{vendor: "Philips", root: true, id: "philips"},
	{vendor: "Philips", product: "MR", id: "philips-mr", name: "Achieva MR", class: "modality", modality: "MR"},
	{vendor: "Toshiba", root: true, id: "toshiba-canon-medical"},
	{vendor: "Toshiba", product: "MR", id: "toshiba-mr", name: "MR (Galan)", class: "modality", modality: "MR"},
	{vendor: "Mortara", id: "mortara-eli-ecg", name: "ELI electrocardiograph", class: "modality", modality: "ECG"},
	{vendor: "Siemens", root: true, id: "siemens-healthineers"},
	{vendor: "Siemens", product: "MR", id: "siemens-syngo-mr", name: "MAGNETOM MR (syngo MR)", class: "modality", modality: "MR"},
	{vendor: "SonoSite", root: true, id: "sonosite", class: "modality", modality: "US"},
	{vendor: "DWV project", id: "dwv", name: "DWV DICOM Web Viewer", class: "workstation"},
}

func findFamily(vendor, product string, root bool) *family {
	for i := range families {
		f := &families[i]
		if !strings.Contains(vendor, f.vendor) || f.product != "" && !strings.Contains(product, f.product) {
			continue
		}
		// Vendor roots have entries of their own only for device vendors.
		if f.root && !root || !f.root && root && hasRootFamily(f.vendor) {
			continue
		}
		return f
	}
	return nil
}

func hasRootFamily(vendor string) bool {
	for _, f := range families {
		if f.root && f.vendor == vendor {
			return true
		}
	}
	return false
}

func dicom(in, out string) {
	var c collector
	rows := readTSV(in)
	for _, r := range rows {
		uid, match, ver, vendor, product, source, note := r[0], r[1], r[2], r[3], r[4], r[6], r[7]
		root := product == "any product under this org root"
		f := findFamily(vendor, product, root)
		if f == nil {
			panic("no family for " + vendor + " / " + product)
		}
		e := c.get(f.id, func(e *entry) {
			e.vendor, e.product, e.class, e.modality, e.os = vendor, f.name, "unknown", f.modality, f.os
			if f.kind != "" {
				e.kind = f.kind
			}
			if f.class != "" {
				e.class = f.class
			}
		})
		e.addSource(source)
		if root && f.class == "" {
			e.addNote("org root seen in vendor-written UIDs (not a registry): it names the vendor, not the product or class")
		}
		e.addNote(note)
		switch match {
		case "exact":
			e.addTest(test{60, "dicom.uid", "exact", uid})
		case "prefix":
			w := 50
			if root {
				w = 35
			}
			// A root covers the UIDs below it, not others that begin
			// with the same digits.
			if !strings.HasSuffix(uid, ".") {
				uid += "."
			}
			e.addTest(test{w, "dicom.uid", "prefix", uid})
		default:
			panic("match " + match)
		}
		switch {
		case ver == "":
		case strings.Contains(ver, "<"):
			if lit := ver[:strings.Index(ver, "<")]; len(lit) >= 3 {
				e.addTest(test{25, "dicom.version", "prefix", lit})
			}
		case match == "prefix":
			e.addTest(test{25, "dicom.version", "prefix", ver})
		default:
			e.addTest(test{30, "dicom.version", "exact", ver})
		}
	}
	models(&c, rows)
	write(out, "1", []string{
		"DICOM implementation class UIDs, UID roots and implementation version names.",
		"Generated by fingerprint/devdb/internal/seedgen from dicom-implementations.tsv (see README.md);",
		"every source line is one row's source. Weights: exact UID 60, toolkit UID prefix 50,",
		"vendor org root 35, exact version name 30, version name prefix 25; from the sample files'",
		"Manufacturer and ManufacturerModelName: model 40, manufacturer 30.",
	}, c.order)
}
