package main

import (
	"regexp"
	"strings"
)

// The public sample files behind dicom-implementations.tsv name the device
// that made them: Manufacturer (0008,0070), ManufacturerModelName
// (0008,1090) and Modality (0008,0060), quoted in each row's source. Each
// manufacturer value becomes a test of the vendor's entry and each model
// an entry of its own, tested on the model alone: a test of the
// manufacturer there would give every device of that manufacturer the
// model, and its class and modality (a GE CT would be a GE NM camera).
var manufacturers = map[string]struct{ vendorID, vendor string }{
	"GE MEDICAL SYSTEMS":       {"ge-healthcare", "GE Healthcare"},
	"G.E. Medical Systems":     {"ge-healthcare", "GE Healthcare"},
	"GE Medical Systems":       {"ge-healthcare", "GE Healthcare"},
	"Philips Medical Systems":  {"philips", "Philips"},
	"SIEMENS":                  {"siemens-healthineers", "Siemens Healthineers"},
	"Siemens Healthineers":     {"siemens-healthineers", "Siemens Healthineers"},
	"TOSHIBA":                  {"toshiba-canon-medical", "Toshiba Medical Systems (now Canon Medical)"},
	"TOSHIBA_MEC":              {"toshiba-canon-medical", "Toshiba Medical Systems (now Canon Medical)"},
	"SonoSite, Inc.":           {"sonosite", "SonoSite (now Fujifilm SonoSite)"},
	"Mortara Instrument, Inc.": {"mortara-eli-ecg", "Mortara Instrument"},
	"Hewlett-Packard":          {"hp-ultrasound", "Hewlett-Packard (medical, later Philips)"},
	"FUJI PHOTO FILM CO. LTD.": {"fujifilm", "Fujifilm"},
	"FUJI":                     {"fujifilm", "Fujifilm"},
	"Agfa-Gevaert AG":          {"agfa", "Agfa"},
}

var sampleRE = regexp.MustCompile(`^(.*?) \(file meta .*Manufacturer='([^']*)' Model='([^']*)' Modality=([A-Z]*)\)`)

// imaging lists the modality codes (PS3.3 C.7.3.1.1.1) of the sample
// files that are acquisition modalities.
var imaging = map[string]bool{"CT": true, "MR": true, "US": true, "CR": true, "NM": true, "ECG": true}

func models(c *collector, rows [][]string) {
	for _, r := range rows {
		source := r[6]
		m := sampleRE.FindStringSubmatch(source)
		if m == nil || m[2] == "" || m[2] == "debug" {
			continue
		}
		file, manu, model, modality := m[1], m[2], m[3], m[4]
		v, ok := manufacturers[manu]
		if !ok {
			panic("no vendor for manufacturer " + manu)
		}
		src := file + " (Manufacturer='" + manu + "' Model='" + model + "' Modality=" + modality + ")"
		ve := c.get(v.vendorID, func(e *entry) { e.vendor = v.vendor })
		ve.addSource(src)
		ve.addTest(test{30, "dicom.manufacturer", "exact", manu})
		if model == "" {
			continue
		}
		id := v.vendorID + "." + slug(model)
		if strings.HasPrefix(v.vendorID, "mortara") || strings.HasPrefix(v.vendorID, "hp-") {
			id = v.vendorID // the product entries themselves
		}
		e := c.get(id, func(e *entry) {
			e.vendor, e.product = v.vendor, model
			if imaging[modality] {
				e.class, e.modality = "modality", modality
			}
		})
		e.addSource(src)
		e.addTest(test{40, "dicom.model", "exact", model})
	}
}
