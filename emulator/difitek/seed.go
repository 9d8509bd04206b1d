package difitek

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/brianvoe/gofakeit/v7"
	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// DemoInvestorPassword is the password of every seeded demo user other than
// the administrator (whose login is in the credentials).
const DemoInvestorPassword = "investor123"

const seededMarker = "seeded"

// isSeeded reports whether the tenant's demo network is in the store.
func isSeeded(tx *platform.Tx) bool { return tx.Records().GetRaw(kindMeta, seededMarker) != nil }

// seeded reports whether the tenant's network is seeded, read on every
// request (without a transaction while nothing was written since).
func (p *Provider) seeded(ctx context.Context, tenant string) (bool, error) {
	var marker json.RawMessage
	return p.mount.ReadShared(ctx, tenant, kindMeta, seededMarker, &marker)
}

// ensureSeeded creates the tenant's demo network the first time its data is
// touched, in one transaction guarded by a marker record (tenants can be
// minted at run time; concurrent first calls seed once).
func (p *Provider) ensureSeeded(ctx context.Context, tenant string, creds *Credentials) error {
	if done, err := p.seeded(ctx, tenant); err != nil || done {
		return err
	}
	return p.mount.Update(ctx, tenant, func(tx *platform.Tx) error {
		if isSeeded(tx) {
			return nil
		}
		if err := seedNetwork(tx, creds, gofakeit.New(uint64(p.opts.Seed))); err != nil {
			return err
		}
		if err := backdateSeed(tx); err != nil {
			return err
		}
		return tx.Records().Put(kindMeta, seededMarker, map[string]any{"seeded_at": timestamp(tx.Now()), "network": creds.Network})
	})
}

// seedNetwork creates the demo network: an administrator, an issuer and
// investors, three organizations, offerings in each life cycle stage with
// consistent investments, wallets, transactions, a payout, a deal room
// with a topic and a post, a bulletin and documents.
func seedNetwork(tx *platform.Tx, creds *Credentials, f *gofakeit.Faker) error {
	admin, err := createUser(tx, seedProfile(f, creds.Username, "Demo", "Admin", true), creds.Password)
	if err != nil {
		return err
	}
	people := []UserRecord{admin}
	for i := 0; i < 5; i++ {
		first, last := f.FirstName(), f.LastName()
		email := fmt.Sprintf("%s.%s%d@example.com", strings.ToLower(first), strings.ToLower(last), i+1)
		u, err := createUser(tx, seedProfile(f, email, first, last, false), DemoInvestorPassword)
		if err != nil {
			return err
		}
		people = append(people, u)
		if _, err := createWallet(tx, u.ID, "GBP", round2(f.Float64Range(20000, 100000))); err != nil {
			return err
		}
	}
	issuer := people[1]
	var orgs []Organization
	for i := 0; i < 3; i++ {
		org := seedOrganization(f, issuer.ID)
		org, err := createOrganization(tx, org)
		if err != nil {
			return err
		}
		orgs = append(orgs, org)
	}
	if err := addMembership(tx, issuer.ID, orgs...); err != nil {
		return err
	}
	type plan struct {
		org      int
		stage    string
		featured bool
		goal     float64
		invest   []float64
	}
	plans := []plan{
		{0, stageDraft, false, 250000, nil},
		{0, stagePublished, true, 500000, []float64{15000, 25000}},
		{1, stagePublished, false, 150000, []float64{5000}},
		{1, stageClosing, false, 100000, []float64{40000, 35000, 25000}},
		{2, stageSettled, false, 200000, []float64{60000, 80000, 60000}},
	}
	for i, pl := range plans {
		off, err := createOffering(tx, seedOffering(f, orgs[pl.org], issuer.ID, pl.goal, pl.featured))
		if err != nil {
			return err
		}
		if pl.stage == stageDraft {
			continue
		}
		if off, err = setOfferingStage(tx, off.ID, stagePublished); err != nil {
			return err
		}
		for j, amount := range pl.invest {
			investor := people[2+(i+j)%4]
			a := amount
			if _, _, err := invest(tx, investor, off.ID, investInput{InvestmentAmount: &a}, true); err != nil {
				return err
			}
		}
		for _, next := range map[string][]string{stageClosing: {stageClosing}, stageSettled: {stageClosing, stageSettled}}[pl.stage] {
			if off, err = setOfferingStage(tx, off.ID, next); err != nil {
				return err
			}
		}
		if pl.featured {
			if err := seedDealRoom(tx, f, off, issuer, people[2]); err != nil {
				return err
			}
		}
		if pl.stage == stageSettled {
			if err := seedPayouts(tx, off); err != nil {
				return err
			}
		}
	}
	return nil
}

// seedAges spreads the demo network over the past months: how long ago
// each kind's records were created (the seed creates them all "now").
var seedAges = map[string]int{
	kindUser: 240, kindWallet: 235, kindOrganization: 200, kindOffering: 150, kindDealRoom: 110,
	kindTopic: 100, kindPost: 95, kindBulletin: 100, kindDocument: 110, kindInvestment: 90,
	kindTransaction: 90, kindPayout: 30,
}

// backdateSeed rewrites the seeded timestamps (days ago per kind; offerings
// opened 120 days ago, Closing ones closed 3 days ago, Settled ones — and
// their investments — 60 days ago).
func backdateSeed(tx *platform.Tx) error {
	now := timestamp(tx.Now())
	ago := func(days int) string { return timestamp(tx.Now().AddDate(0, 0, -days)) }
	for kind, days := range seedAges {
		var rewrite []map[string]any
		err := tx.Records().ForEach(kind, func(_ string, raw []byte) error {
			rec := map[string]any{}
			if err := json.Unmarshal(raw, &rec); err != nil {
				return err
			}
			rewrite = append(rewrite, rec)
			return nil
		})
		if err != nil {
			return err
		}
		for _, rec := range rewrite {
			created := ago(days)
			updated := created
			switch {
			case kind == kindOffering && rec["open_date"] == now:
				rec["open_date"] = ago(120)
				updated = ago(120)
				if rec["close_date"] == now {
					closed := ago(3)
					if rec["life_cycle_stage"] == stageSettled {
						closed = ago(60)
					}
					rec["close_date"], updated = closed, closed
				}
			case kind == kindInvestment && rec["settled_at"] == now:
				rec["settled_at"], updated = ago(60), ago(60)
			}
			for _, field := range []string{"created_at", "updated_at", "last_login_at"} {
				if rec[field] == now {
					rec[field] = created
				}
			}
			if rec["updated_at"] == created {
				rec["updated_at"] = updated
			}
			id, _ := rec["id"].(float64)
			if err := putRecord(tx, kind, int64(id), rec); err != nil {
				return err
			}
		}
	}
	return nil
}

func seedProfile(f *gofakeit.Faker, email, first, last string, admin bool) UserRecord {
	addr := f.Address()
	u := UserRecord{User: User{
		Email: email, GivenName: first, FamilyName: last, IsAdmin: admin,
		Biography: f.Sentence(12), JobTitle: f.JobTitle(), Location: addr.City + ", " + addr.Country,
		Phone1: f.Phone(), Sector: f.JobDescriptor(), Tagline: f.HipsterSentence(), TimeZone: "Europe/London",
		AffiliateCode: strings.ToUpper(f.LetterN(8)), ReferralCode: strings.ToUpper(f.LetterN(8)),
		Address: Address{Building: f.StreetNumber(), StreetAddress: addr.Street, City: addr.City,
			AddressLocality: addr.City, Region: addr.State, PostalCode: addr.Zip, Country: "GB"},
	}}
	u.EmailVerified, u.HasBeenApproved, u.RegistrationComplete, u.TermServiceAccepted = true, true, true, true
	u.IncomeRange = "50000-100000"
	u.BirthDate = f.DateRange(mustDate("1960-01-01"), mustDate("1995-12-31")).Format("2006-01-02")
	return u
}

func seedOrganization(f *gofakeit.Faker, owner int64) Organization {
	c := f.Company()
	addr := f.Address()
	return Organization{
		UserID: owner, DisplayName: c, LegalName: c + " " + f.CompanySuffix(), AlternateName: c,
		BriefDesc: f.BS() + " " + f.BuzzWord(), DetailDesc: f.Paragraph(2, 3, 12, " "),
		CompanyNumber: fmt.Sprintf("%08d", f.Number(1000000, 99999999)), ContactPoint: f.Name(),
		FoundingDate:     f.DateRange(mustDate("2005-01-01"), mustDate("2020-12-31")).Format("2006-01-02"),
		FoundingLocation: addr.City, Location: addr.City, OrgEmail: "hello@" + strings.ToLower(f.DomainName()),
		Sector: f.JobDescriptor(), Telephone: f.Phone(), Website: "https://" + f.DomainName(),
		Twitter: "@" + f.Username(), Visibility: visibilityOpen, LifeCycleStage: "Active",
		Address: Address{Building: f.StreetNumber(), StreetAddress: addr.Street, City: addr.City,
			AddressLocality: addr.City, Region: addr.State, PostalCode: addr.Zip, Country: "GB"},
	}
}

func seedOffering(f *gofakeit.Faker, org Organization, owner int64, goal float64, featured bool) Offering {
	return Offering{
		Name:           org.DisplayName + " " + f.RandomString([]string{"Series A", "Seed Round", "Growth Round", "Bridge Note"}),
		OrganizationID: org.ID, UserID: owner, Currency: "GBP", FundingGoal: goal,
		MinCommitment: 1000, MaxCommitment: goal / 2, MaxOverfundingAmount: goal * 0.2,
		EquityOffered: float64(f.Number(5, 25)), PricePerShare: 2.5, NumOfShares: int64(goal / 2.5),
		Valuation: goal * 10, Category: f.RandomString([]string{"Equity", "Debt", "Real Estate"}),
		OfferingDescription: f.Paragraph(2, 4, 14, " "), InterestRate: float64(f.Number(4, 12)),
		Term: 36, RepaymentsRemaining: 36, IsFeatured: featured, AdditionalType: "Equity",
	}
}

func seedDealRoom(tx *platform.Tx, f *gofakeit.Faker, off Offering, owner, investor UserRecord) error {
	room, err := createDealRoom(tx, DealRoom{OfferingID: off.ID, UserID: owner.ID, Name: off.Name + " deal room"})
	if err != nil {
		return err
	}
	topic, err := createTopic(tx, Topic{DealRoomID: room.ID, UserID: owner.ID, Title: "Welcome investors",
		Body: f.Paragraph(1, 3, 12, " "), GivenName: owner.GivenName, FamilyName: owner.FamilyName})
	if err != nil {
		return err
	}
	if _, err := createPost(tx, kindPost, Post{TopicID: topic.ID, Body: f.Question(), UserID: investor.ID, UserName: userName(investor)}); err != nil {
		return err
	}
	if _, err := createBulletin(tx, Bulletin{OfferingID: off.ID, UserID: owner.ID, Title: "We are live", Body: f.Paragraph(1, 2, 10, " ")}); err != nil {
		return err
	}
	_, err = createDocument(tx, Document{FileAlias: "pitch-deck.pdf", FileName: "pitch-deck.pdf", FileType: "application/pdf",
		FileDescription: "Pitch deck", URL: "https://cdn.example.com/documents/pitch-deck.pdf", UserID: owner.ID,
		OwnerType: kindOffering, OwnerID: off.ID, Tag: "pitch"})
	return err
}

func seedPayouts(tx *platform.Tx, off Offering) error {
	invs, err := listRecords[Investment](tx, kindInvestment)
	if err != nil {
		return err
	}
	for _, inv := range invs {
		if inv.OfferingID != off.ID {
			continue
		}
		if _, err := createPayout(tx, inv, payoutInput{PayoutAmount: round2(inv.InvestmentAmount * off.InterestRate / 100 / 12), PayoutType: "Interest"}); err != nil {
			return err
		}
	}
	return nil
}
