package crowdtrust

import (
	"bytes"
	"fmt"
	"time"

	"github.com/go-pdf/fpdf"
)

// renderReport draws the Bad Actor Check report of a completed check as a
// PDF. The SSN appears masked, as everywhere else.
func renderReport(c *Check) ([]byte, error) {
	pdf := fpdf.New("P", "mm", "Letter", "")
	pdf.SetTitle(fmt.Sprintf("CrowdTrust Bad Actor Check Report %s", c.SearchID), false)
	pdf.SetAuthor("CrowdTrust", false)
	pdf.SetCreationDate(c.Created.UTC())
	pdf.SetModificationDate(c.Created.UTC())
	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 18)
	pdf.CellFormat(0, 12, "CrowdTrust Bad Actor Check Report", "", 1, "L", false, 0, "")
	pdf.SetFont("Helvetica", "", 10)
	pdf.CellFormat(0, 6, "Reference "+c.Reference, "", 1, "L", false, 0, "")
	pdf.Ln(4)

	result := "PASS"
	if c.BadActorCheckPass == "false" {
		result = "FAIL"
	}
	completed := ""
	if c.Completed != nil {
		completed = c.Completed.UTC().Format(time.DateOnly)
	}
	rows := [][2]string{
		{"Search ID", c.SearchID},
		{"Status", c.Status},
		{"Result", result},
		{"Bad actor check pass", c.BadActorCheckPass},
		{"Disqualifying event date", c.DisqualifyingEventDate},
		{"First name", c.FirstName},
		{"Last name", c.LastName},
		{"SSN", c.SSN},
		{"Date of birth", c.DateOfBirth},
		{"Regulation type", "Regulation " + c.RegulationType},
		{"Platform", c.PlatformName},
		{"Requested", c.Created.UTC().Format(time.DateOnly)},
		{"Completed", completed},
	}
	for _, r := range rows {
		pdf.SetFont("Helvetica", "B", 10)
		pdf.CellFormat(60, 7, r[0], "1", 0, "L", false, 0, "")
		pdf.SetFont("Helvetica", "", 10)
		pdf.CellFormat(0, 7, r[1], "1", 1, "L", false, 0, "")
	}
	if len(c.WorkHistory) > 0 {
		pdf.Ln(4)
		pdf.SetFont("Helvetica", "B", 12)
		pdf.CellFormat(0, 8, "Work history", "", 1, "L", false, 0, "")
		pdf.SetFont("Helvetica", "", 10)
		for _, w := range c.WorkHistory {
			end := w.EndDate
			if end == "" {
				end = "present"
			}
			pdf.MultiCell(0, 6, fmt.Sprintf("%s, %s (%s to %s)", w.Company, w.Title, w.StartDate, end), "", "L", false)
		}
	}
	if len(c.HomeAddresses) > 0 {
		pdf.Ln(4)
		pdf.SetFont("Helvetica", "B", 12)
		pdf.CellFormat(0, 8, "Home addresses", "", 1, "L", false, 0, "")
		pdf.SetFont("Helvetica", "", 10)
		for _, a := range c.HomeAddresses {
			pdf.MultiCell(0, 6, fmt.Sprintf("%s %s, %s, %s %s", a.Address1, a.Address2, a.City, a.State, a.Zip), "", "L", false)
		}
	}
	pdf.Ln(6)
	pdf.SetFont("Helvetica", "I", 8)
	pdf.MultiCell(0, 4, "Covered person screening for disqualifying events under SEC Rule 506(d) (Regulation D) and Rule 262 (Regulation A).", "", "L", false)

	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("render report %s: %w", c.SearchID, err)
	}
	return buf.Bytes(), nil
}
