package proofing_test

import (
	"slices"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/taxportal/portal/demodata"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/pii"
	"github.com/taxportal/portal/portaltest"
	"github.com/taxportal/portal/proofing"
)

// seeded is a fresh database with the ten featured demo taxpayers.
func seeded(t *testing.T) (*gorm.DB, *pii.Vault) {
	t.Helper()
	db := portaltest.DB(t)
	vault, err := pii.NewVault(portaltest.SecretKey)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demodata.Seed(t.Context(), db, vault, demodata.Options{Taxpayers: len(demodata.Featured)}); err != nil {
		t.Fatal(err)
	}
	return db, vault
}

func taxpayerID(t *testing.T, db *gorm.DB, vault *pii.Vault, ssn string) uint64 {
	t.Helper()
	tp, err := models.FindTaxpayerBySSN(t.Context(), db, vault, pii.MustSSN(ssn))
	if err != nil {
		t.Fatal(err)
	}
	return tp.ID
}

func TestMatchAgainstTheDemoTaxpayers(t *testing.T) {
	db, vault := seeded(t)
	dob := func(i int) time.Time { return demodata.Featured[i].DOB }
	cases := []struct {
		name string
		ssn  string
		in   proofing.Info
		want []proofing.Field // nil: matched
	}{
		{"exactly as on record", "987-65-4320", mariaInfo, nil},
		{"typed differently", "987654320", proofing.Info{
			FirstName: "MARIA", LastName: "hernández", DOB: dob(0),
			Street1: "2417 Desert Willow Drive", City: "phoenix", State: "AZ", ZIP: "85016-0001"}, nil},
		{"unit on the first line, Boulevard in full", "987-65-4321", proofing.Info{
			FirstName: "James", LastName: "Whitfield", DOB: dob(1),
			Street1: "1450 Northern Lights Boulevard, Apartment 7", City: "Anchorage", State: "AK", ZIP: "99503"}, nil},
		{"# for Apt, Avenue in full", "987-65-4322", proofing.Info{
			FirstName: "Priya", LastName: "Raman", DOB: dob(2),
			Street1: "88 Maple Avenue", Street2: "#3C", City: "Columbus", State: "OH", ZIP: "43215"}, nil},
		{"suffix typed with the last name", "987-65-4323", proofing.Info{
			FirstName: "Robert", LastName: "Kowalski Sr.", DOB: dob(3),
			Street1: "312 Oak Street", City: "Milwaukee", State: "WI", ZIP: "53207"}, nil},
		{"accent the record lacks, no second line", "987-65-4327", proofing.Info{
			FirstName: "Luis", MiddleName: "A.", LastName: "Ortega", DOB: dob(7),
			Street1: "152 Calle Loíza", City: "San Juan", State: "Puerto Rico", ZIP: "00911"}, nil},
		{"East in full", "987-65-4328", proofing.Info{
			FirstName: "Emily", LastName: "Chen", DOB: dob(8),
			Street1: "2210 Eastlake Avenue East", City: "Seattle", State: "WA", ZIP: "98102"}, nil},
		{"wrong date of birth", "987-65-4320", withDOB(mariaInfo, time.Date(1986, 3, 15, 0, 0, 0, 0, time.UTC)),
			[]proofing.Field{proofing.FieldDOB}},
		{"wrong name", "987-65-4320", withName(mariaInfo, "Marta"), []proofing.Field{proofing.FieldName}},
		{"wrong address", "987-65-4320", withStreet(mariaInfo, "2471 Desert Willow Dr"), []proofing.Field{proofing.FieldAddress}},
		{"someone else's details", "987-65-4321", mariaInfo,
			[]proofing.Field{proofing.FieldName, proofing.FieldDOB, proofing.FieldAddress}},
		{"unknown SSN names only the SSN", "987-01-2345", withDOB(withName(mariaInfo, "Nobody"), time.Time{}),
			[]proofing.Field{proofing.FieldSSN}},
		{"unknown SSN with a known person's details", "987-65-4319", mariaInfo, []proofing.Field{proofing.FieldSSN}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := proofing.Match(t.Context(), db, vault, proofing.Input{SSN: pii.MustSSN(c.ssn), Info: c.in})
			if err != nil {
				t.Fatal(err)
			}
			if c.want == nil {
				if !res.Matched || res.TaxpayerID != taxpayerID(t, db, vault, c.ssn) || res.Fields != nil {
					t.Fatalf("want a match: %+v", res)
				}
				return
			}
			if res.Matched || res.TaxpayerID != 0 || !slices.Equal(res.Fields, c.want) {
				t.Fatalf("got %+v, want fields %v", res, c.want)
			}
			if res.SSNUnknown() != slices.Equal(c.want, []proofing.Field{proofing.FieldSSN}) {
				t.Errorf("SSNUnknown = %v", res.SSNUnknown())
			}
		})
	}
}

// TestEveryFeaturedTaxpayerCanBeVerifiedInDevelopment takes each demo
// taxpayer from the SSN through the match with the README's details, as
// the portal does in development.
func TestEveryFeaturedTaxpayerCanBeVerifiedInDevelopment(t *testing.T) {
	db, vault := seeded(t)
	f := newFlow(t) // AllowTestSSNs on
	prod := proofing.DefaultSettings()
	for i, ft := range demodata.Featured {
		ssn, err := f.Settings.ParseSSN(ft.SSN)
		if err != nil {
			t.Fatalf("%s: %v", ft.SSN, err)
		}
		if _, err := prod.ParseSSN(ft.SSN); err == nil {
			t.Errorf("%s: production must refuse the example range", ft.SSN)
		}
		tp, err := models.FindTaxpayerBySSN(t.Context(), db, vault, ssn)
		if err != nil {
			t.Fatal(err)
		}
		v := upTo(t, f, models.MethodOnline, proofing.StepSSN)
		must(t, f.EnterSSN(v, ssn, t0))
		form := proofing.Info{
			FirstName: tp.FirstName, MiddleName: tp.MiddleName, LastName: tp.LastName, DOB: ft.DOB,
			Street1: tp.Street1, Street2: tp.Street2, City: tp.City, State: tp.State, ZIP: tp.ZIP,
		}.Form()
		info, errs := form.Validate(t0)
		if errs != nil {
			t.Fatalf("%d: %v", i, errs)
		}
		must(t, f.ReviewInfo(v, info, t0))
		in, err := f.Input(v)
		if err != nil {
			t.Fatal(err)
		}
		res, err := proofing.Match(t.Context(), db, vault, in)
		if err != nil || !res.Matched || res.TaxpayerID != tp.ID {
			t.Fatalf("%s: %+v %v", ft.Name, res, err)
		}
		must(t, f.RecordMatch(v, res, t0))
		if proofing.Current(v, t0) != proofing.StepConfirm {
			t.Fatalf("%s: after the match: %s", ft.Name, proofing.Current(v, t0))
		}
	}
}

func TestASyntheticDemoTaxpayerMatches(t *testing.T) {
	db := portaltest.DB(t)
	vault, _ := pii.NewVault(portaltest.SecretKey)
	if _, err := demodata.Seed(t.Context(), db, vault, demodata.Options{Taxpayers: 12}); err != nil {
		t.Fatal(err)
	}
	var tp models.Taxpayer
	if err := db.Order("id DESC").Take(&tp).Error; err != nil {
		t.Fatal(err)
	}
	pd, err := tp.Unseal(vault)
	if err != nil {
		t.Fatal(err)
	}
	dev := proofing.DefaultSettings()
	dev.AllowTestSSNs = true
	if _, err := dev.ParseSSN(pd.SSN.Dashed()); err != nil || !proofing.IsTestSSN(pd.SSN) {
		t.Fatalf("the generated SSN %s: %v", pd.SSN, err)
	}
	if _, err := proofing.DefaultSettings().ParseSSN(pd.SSN.Dashed()); err == nil {
		t.Fatal("production refuses the generated range")
	}
	in := proofing.Info{FirstName: tp.FirstName, LastName: tp.LastName, DOB: pd.DOB, Street1: tp.Street1, Street2: tp.Street2, City: tp.City, State: tp.State, ZIP: tp.ZIP}
	res, err := proofing.Match(t.Context(), db, vault, proofing.Input{SSN: pd.SSN, Info: in})
	if err != nil || !res.Matched || res.TaxpayerID != tp.ID {
		t.Fatalf("%+v %v", res, err)
	}
}

func withDOB(in proofing.Info, d time.Time) proofing.Info { in.DOB = d; return in }
func withName(in proofing.Info, first string) proofing.Info {
	in.FirstName = first
	return in
}
func withStreet(in proofing.Info, s string) proofing.Info { in.Street1 = s; return in }
