package intellivue

// The nomenclature tables below are a subset of the physiological identifier
// (SCADA partition) and unit code (dimension partition) tables of Philips'
// "IntelliVue X2, MP, MX & FM Series Data Export Interface Programming
// Guide" (4535 645 88011), chapter "Nomenclature"; the codes were checked
// against the public transcriptions of those tables in open-source
// exporters (PyVSCapture dataexport/enums.py, VSCaptureMP). They name what
// a patient monitor commonly exports: heart and pulse rates, SpO2, blood
// pressures, temperatures, respiration, CO2 and ECG leads.

// PhysioID is a physiological identifier (SCADA partition): what a numeric
// or a sample array measures, or what raised an alarm.
type PhysioID uint16

// String returns the nomenclature name of the identifier
// ("NOM_ECG_CARD_BEAT_RATE"), or "PhysioID(0x1234)" for one the table does
// not hold.
func (id PhysioID) String() string {
	if n := id.name(); n != "" {
		return n
	}
	return codeString(uint32(id), nil, "PhysioID", 4)
}

// Label returns the short label a monitor displays for the identifier
// ("HR"), or "" for one the table does not hold.
func (id PhysioID) Label() string {
	_, l := physio(id)
	return l
}

// name returns the nomenclature name, or "".
func (id PhysioID) name() string {
	n, _ := physio(id)
	return n
}

func physio(id PhysioID) (name, label string) {
	switch id {
	case 0x0100:
		return "NOM_ECG_ELEC_POTL", "ECG"
	case 0x0101:
		return "NOM_ECG_ELEC_POTL_I", "I"
	case 0x0102:
		return "NOM_ECG_ELEC_POTL_II", "II"
	case 0x0103:
		return "NOM_ECG_ELEC_POTL_V1", "V1"
	case 0x0107:
		return "NOM_ECG_ELEC_POTL_V5", "V5"
	case 0x013D:
		return "NOM_ECG_ELEC_POTL_III", "III"
	case 0x013E:
		return "NOM_ECG_ELEC_POTL_AVR", "aVR"
	case 0x013F:
		return "NOM_ECG_ELEC_POTL_AVL", "aVL"
	case 0x0140:
		return "NOM_ECG_ELEC_POTL_AVF", "aVF"
	case 0x0302:
		return "NOM_ECG_AMPL_ST_II", "ST-II"
	case 0x3F20:
		return "NOM_ECG_TIME_PD_QT_GL", "QT"
	case 0x3F24:
		return "NOM_ECG_TIME_PD_QTc", "QTc"
	case 0x4182:
		return "NOM_ECG_CARD_BEAT_RATE", "HR"
	case 0x418A:
		return "NOM_ECG_CARD_BEAT_RATE_BTB", "btbHR"
	case 0x4261:
		return "NOM_ECG_V_P_C_CNT", "PVC"
	case 0x480A:
		return "NOM_PULS_RATE", "Pulse"
	case 0x4822:
		return "NOM_PLETH_PULS_RATE", "Pulse(SpO2)"
	case 0x4A00:
		return "NOM_PRESS_BLD", "BP"
	case 0x4A04:
		return "NOM_PRESS_BLD_NONINV", "NBP"
	case 0x4A05:
		return "NOM_PRESS_BLD_NONINV_SYS", "NBPs"
	case 0x4A06:
		return "NOM_PRESS_BLD_NONINV_DIA", "NBPd"
	case 0x4A07:
		return "NOM_PRESS_BLD_NONINV_MEAN", "NBPm"
	case 0x4A10:
		return "NOM_PRESS_BLD_ART", "ART"
	case 0x4A11:
		return "NOM_PRESS_BLD_ART_SYS", "ARTs"
	case 0x4A12:
		return "NOM_PRESS_BLD_ART_DIA", "ARTd"
	case 0x4A13:
		return "NOM_PRESS_BLD_ART_MEAN", "ARTm"
	case 0x4A14:
		return "NOM_PRESS_BLD_ART_ABP", "ABP"
	case 0x4A15:
		return "NOM_PRESS_BLD_ART_ABP_SYS", "ABPs"
	case 0x4A16:
		return "NOM_PRESS_BLD_ART_ABP_DIA", "ABPd"
	case 0x4A17:
		return "NOM_PRESS_BLD_ART_ABP_MEAN", "ABPm"
	case 0x4A1C:
		return "NOM_PRESS_BLD_ART_PULM", "PAP"
	case 0x4A1D:
		return "NOM_PRESS_BLD_ART_PULM_SYS", "PAPs"
	case 0x4A1E:
		return "NOM_PRESS_BLD_ART_PULM_DIA", "PAPd"
	case 0x4A1F:
		return "NOM_PRESS_BLD_ART_PULM_MEAN", "PAPm"
	case 0x4A24:
		return "NOM_PRESS_BLD_ART_PULM_WEDGE", "PAWP"
	case 0x4A44:
		return "NOM_PRESS_BLD_VEN_CENT", "CVP"
	case 0x4A47:
		return "NOM_PRESS_BLD_VEN_CENT_MEAN", "CVPm"
	case 0x4B04:
		return "NOM_OUTPUT_CARD", "C.O."
	case 0x4B2C:
		return "NOM_SAT_O2", "SO2"
	case 0x4B34:
		return "NOM_SAT_O2_ART", "SaO2"
	case 0x4B3C:
		return "NOM_SAT_O2_VEN", "SvO2"
	case 0x4B48:
		return "NOM_TEMP", "Temp"
	case 0x4B50:
		return "NOM_TEMP_ART", "Tblood"
	case 0x4B54:
		return "NOM_TEMP_AWAY", "Tairway"
	case 0x4B60:
		return "NOM_TEMP_CORE", "Tcore"
	case 0x4B64:
		return "NOM_TEMP_ESOPH", "Tesoph"
	case 0x4B6C:
		return "NOM_TEMP_NASOPH", "Tnaso"
	case 0x4B74:
		return "NOM_TEMP_SKIN", "Tskin"
	case 0x4B78:
		return "NOM_TEMP_TYMP", "Ttymp"
	case 0x4B7C:
		return "NOM_TEMP_VEN", "Tven"
	case 0x4BB0:
		return "NOM_PULS_OXIM_PERF_REL", "Perf"
	case 0x4BB4:
		return "NOM_PLETH", "Pleth"
	case 0x4BB8:
		return "NOM_PULS_OXIM_SAT_O2", "SpO2"
	case 0x5000:
		return "NOM_RESP", "Resp"
	case 0x500A:
		return "NOM_RESP_RATE", "RR"
	case 0x5012:
		return "NOM_AWAY_RESP_RATE", "awRR"
	case 0x509C:
		return "NOM_CONC_AWAY_CO2_ET", "etCO2%"
	case 0x50A6:
		return "NOM_CONC_AWAY_CO2_INSP_MIN", "imCO2%"
	case 0x50AC:
		return "NOM_AWAY_CO2", "CO2"
	case 0x50B0:
		return "NOM_AWAY_CO2_ET", "etCO2"
	case 0x50BA:
		return "NOM_AWAY_CO2_INSP_MIN", "imCO2"
	case 0x50CC:
		return "NOM_CO2_TCUT", "tcpCO2"
	case 0x50D0:
		return "NOM_O2_TCUT", "tcpO2"
	case 0x50D4:
		return "NOM_FLOW_AWAY", "AWF"
	case 0x50F0:
		return "NOM_PRESS_AWAY", "AWP"
	case 0x513C:
		return "NOM_VOL_AWAY_TIDAL", "TV"
	case 0x5148:
		return "NOM_VOL_MINUTE_AWAY", "MINVOL"
	case 0x5164:
		return "NOM_CONC_AWAY_O2", "O2"
	}
	return "", ""
}

// UnitCode is a unit code (dimension partition, NOM_DIM_...).
type UnitCode uint16

// String returns the nomenclature name of the unit ("NOM_DIM_BEAT_PER_MIN"),
// or "UnitCode(0x1234)" for one the table does not hold.
func (u UnitCode) String() string {
	if n, _ := unit(u); n != "" {
		return n
	}
	return codeString(uint32(u), nil, "UnitCode", 4)
}

// Symbol returns the symbol of the unit ("bpm", "mmHg", "%"), or "" for
// NOM_DIM_NOS and codes the table does not hold. NOM_DIM_DIMLESS is "-".
func (u UnitCode) Symbol() string {
	_, s := unit(u)
	return s
}

func unit(u UnitCode) (name, symbol string) {
	switch u {
	case 0x0000:
		return "NOM_DIM_NOS", ""
	case 0x0200:
		return "NOM_DIM_DIMLESS", "-"
	case 0x0220:
		return "NOM_DIM_PERCENT", "%"
	case 0x03E0:
		return "NOM_DIM_PH", "pH"
	case 0x0511:
		return "NOM_DIM_CENTI_M", "cm"
	case 0x0512:
		return "NOM_DIM_MILLI_M", "mm"
	case 0x0652:
		return "NOM_DIM_MILLI_L", "ml"
	case 0x0672:
		return "NOM_DIM_MILLI_L_PER_BREATH", "ml/breath"
	case 0x06C3:
		return "NOM_DIM_KILO_G", "kg"
	case 0x0840:
		return "NOM_DIM_X_G_PER_DL", "g/dl"
	case 0x0852:
		return "NOM_DIM_MILLI_G_PER_DL", "mg/dl"
	case 0x0880:
		return "NOM_DIM_SEC", "sec"
	case 0x0892:
		return "NOM_DIM_MILLI_SEC", "msec"
	case 0x08A0:
		return "NOM_DIM_MIN", "min"
	case 0x09C0:
		return "NOM_DIM_HZ", "Hz"
	case 0x09E0:
		return "NOM_DIM_PER_MIN", "/min"
	case 0x0AA0:
		return "NOM_DIM_BEAT_PER_MIN", "bpm"
	case 0x0AC0:
		return "NOM_DIM_PULS_PER_MIN", "puls/min"
	case 0x0AE0:
		return "NOM_DIM_RESP_PER_MIN", "rpm"
	case 0x0B20:
		return "NOM_DIM_X_L_PER_MIN_PER_M_SQ", "l/min/m2"
	case 0x0C00:
		return "NOM_DIM_X_L_PER_MIN", "l/min"
	case 0x0C12:
		return "NOM_DIM_MILLI_L_PER_MIN", "ml/min"
	case 0x0F00:
		return "NOM_DIM_X_PASCAL", "Pa"
	case 0x0F02:
		return "NOM_DIM_HECTO_PASCAL", "hPa"
	case 0x0F03:
		return "NOM_DIM_KILO_PASCAL", "kPa"
	case 0x0F20:
		return "NOM_DIM_MMHG", "mmHg"
	case 0x0F40:
		return "NOM_DIM_CM_H2O", "cmH2O"
	case 0x0F72:
		return "NOM_DIM_MILLI_BAR", "mBar"
	case 0x1020:
		return "NOM_DIM_X_DYNE_PER_SEC_PER_CM5", "DS/cm5"
	case 0x1052:
		return "NOM_DIM_MILLI_AMPS", "mA"
	case 0x10B2:
		return "NOM_DIM_MILLI_VOLT", "mV"
	case 0x10B3:
		return "NOM_DIM_MICRO_VOLT", "uV"
	case 0x10C0:
		return "NOM_DIM_X_OHM", "Ohm"
	case 0x1140:
		return "NOM_DIM_FAHR", "°F"
	case 0x1272:
		return "NOM_DIM_MILLI_MOLE_PER_L", "mmol/l"
	case 0x17A0:
		return "NOM_DIM_DEGC", "°C"
	case 0x1920:
		return "NOM_DIM_DECIBEL", "dB"
	}
	return "", ""
}
