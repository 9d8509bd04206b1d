package difitek

// Records are stored as the API returns them (JSON field names of the v1
// API as the SDKs read them). Ids are integers; timestamps are ISO-8601
// strings with an offset ("2024-01-02T03:04:05+00:00").

// Record kinds in the store.
const (
	kindUser = "user"
	// kindMembership is one record per (user, organization): "<user>/<org>".
	kindMembership = "membership"
	// kindUserAuth is the part of each user that authentication reads.
	kindUserAuth     = "userauth"
	kindLogin        = "login" // e-mail → user id and password hash; never returned
	kindOrganization = "organization"
	kindOffering     = "offering"
	kindInvestment   = "investment"
	kindDocument     = "document"
	kindPayout       = "payout"
	kindTransaction  = "transaction"
	kindWallet       = "wallet"
	kindInvitation   = "invitation"
	kindDealRoom     = "dealroom"
	kindBulletin     = "bulletin"
	kindTopic        = "topic"
	kindPost         = "post"
	kindComment      = "comment"
	kindAccess       = "accessrequest"
	kindGroup        = "group"
	kindCapTable     = "capitalization"
	kindKYC          = "kyc"
	kindEmail        = "email"
	kindSecret       = "secret" // pending e-mail verification / reset secrets
	kindNonce        = "nonce"
	kindNewsletter   = "newsletter"
	kindMeta         = "meta"
)

// Address is a postal address.
type Address struct {
	ID              int64  `json:"id,omitempty"`
	Building        string `json:"building"`
	StreetAddress   string `json:"street_address"`
	City            string `json:"city"`
	AddressLocality string `json:"address_locality"`
	Region          string `json:"region"`
	PostalCode      string `json:"postal_code"`
	Country         string `json:"country"`
}

// User is a user as other users see it (GET /users, /public/users).
type User struct {
	ID                  int64          `json:"id"`
	CreatedAt           string         `json:"created_at"`
	UpdatedAt           string         `json:"updated_at"`
	AdditionalType      string         `json:"additional_type"`
	AffiliateCode       string         `json:"affiliate_code"`
	Biography           string         `json:"biography"`
	Custom              map[string]any `json:"custom"`
	Email               string         `json:"email"`
	ExternalReferenceID string         `json:"external_reference_id"`
	FamilyName          string         `json:"family_name"`
	FullName            string         `json:"full_name"`
	GivenName           string         `json:"given_name"`
	HonorificPrefix     string         `json:"honorific_prefix"`
	HonorificSuffix     string         `json:"honorific_suffix"`
	Image               *Document      `json:"image"`
	IsAdmin             bool           `json:"is_admin"`
	IsVIP               bool           `json:"is_vip"`
	JobTitle            string         `json:"job_title"`
	Location            string         `json:"location"`
	Organizations       []int64        `json:"organizations"`
	Phone1              string         `json:"phone_1"`
	Phone2              string         `json:"phone_2"`
	ReferralCode        string         `json:"referral_code"`
	Sector              string         `json:"sector"`
	Tagline             string         `json:"tagline"`
	TimeZone            string         `json:"time_zone"`
	Visibility          string         `json:"visibility"`
	WebSite             string         `json:"web_site"`
	Address             Address        `json:"address"`
	Documents           []Document     `json:"documents"`
}

// UserRecord is the stored user: the logged-in user's view (GET /self).
type UserRecord struct {
	User
	Addresses            []Address `json:"addresses"`
	BankAccounts         []any     `json:"bank_accounts"`
	BirthDate            string    `json:"birth_date"`
	BirthPlace           string    `json:"birth_place"`
	DrivingLicenseNumber string    `json:"driving_license_number"`
	EmailVerified        bool      `json:"email_verified"`
	GBGPassID            string    `json:"gbg_pass_id"`
	GCENClientID         string    `json:"gcen_client_id"`
	HasBeenApproved      bool      `json:"has_been_approved"`
	HasBeenBlocked       bool      `json:"has_been_blocked"`
	BlockMessage         string    `json:"block_message,omitempty"`
	IncomeRange          string    `json:"income_range"`
	LastLoginAt          string    `json:"last_login_at"`
	MangopayCardID       string    `json:"mangopay_card_id"`
	MangopayUserID       string    `json:"mangopay_user_id"`
	PassportCountry      string    `json:"passport_country"`
	PassportExpiry       string    `json:"passport_expiry"`
	PassportNumber       string    `json:"passport_number"`
	PasswordExpired      bool      `json:"password_expired"`
	PhoneVerified        bool      `json:"phone_verified"`
	RegistrationComplete bool      `json:"registration_complete"`
	TaxID                string    `json:"tax_id"`
	TermServiceAccepted  bool      `json:"term_service_accepted"`
}

// Visibility values.
const (
	visibilityOpen    = "Open"
	visibilityPrivate = "Private"
)

// login is the password entry of a user, keyed by lower-case e-mail.
type login struct {
	UserID int64  `json:"user_id"`
	Salt   string `json:"salt"`
	Hash   string `json:"hash"` // hex SHA-256(salt ‖ password)
}

// Organization is a company raising or investing.
type Organization struct {
	ID               int64          `json:"id"`
	CreatedAt        string         `json:"created_at"`
	UpdatedAt        string         `json:"updated_at"`
	AdditionalType   string         `json:"additional_type"`
	Address          Address        `json:"address"`
	AlternateName    string         `json:"alternate_name"`
	BriefDesc        string         `json:"brief_desc"`
	CompanyNumber    string         `json:"company_number"`
	ContactPoint     string         `json:"contact_point"`
	CreditScore      string         `json:"credit_score"`
	Custom           map[string]any `json:"custom"`
	DetailDesc       string         `json:"detail_desc"`
	DisplayName      string         `json:"display_name"`
	Documents        []Document     `json:"documents"`
	Facebook         string         `json:"facebook"`
	FoundingDate     string         `json:"founding_date"`
	FoundingLocation string         `json:"founding_location"`
	LegalName        string         `json:"legal_name"`
	LifeCycleStage   string         `json:"life_cycle_stage"`
	LinkedIn         string         `json:"linkedin"`
	Location         string         `json:"location"`
	Logo             *Document      `json:"logo"`
	MangopayUserID   string         `json:"mangopay_user_id"`
	MangopayWalletID string         `json:"mangopay_wallet_id"`
	MangopayCardID   string         `json:"mangopay_card_id"`
	Members          []int64        `json:"members"`
	OrgEmail         string         `json:"org_email"`
	Sector           string         `json:"sector"`
	TaxID            string         `json:"tax_id"`
	Telephone        string         `json:"telephone"`
	Twitter          string         `json:"twitter"`
	UserID           int64          `json:"user_id"`
	Visibility       string         `json:"visibility"`
	Website          string         `json:"website"`
	YouTube          string         `json:"youtube"`
}

// Offering life cycle stages.
const (
	stageDraft     = "Draft"
	stagePublished = "Published"
	stageClosing   = "Closing"
	stageSettled   = "Settled"
	stageCancelled = "Cancelled"
)

// Offering is a raise of an organization.
type Offering struct {
	ID                   int64          `json:"id"`
	CreatedAt            string         `json:"created_at"`
	UpdatedAt            string         `json:"updated_at"`
	AdditionalType       string         `json:"additional_type"`
	AmountRaised         float64        `json:"amount_raised"`
	CapitalOutstanding   float64        `json:"capital_outstanding"`
	Category             string         `json:"category"`
	CloseDate            string         `json:"close_date"`
	CreditScore          string         `json:"credit_score"`
	Currency             string         `json:"currency"`
	Custom               map[string]any `json:"custom"`
	Documents            []Document     `json:"documents"`
	EquityOffered        float64        `json:"equity_offered"`
	ExternalCommitments  float64        `json:"external_commitments"`
	FundingGoal          float64        `json:"funding_goal"`
	GCENClientID         string         `json:"gcen_client_id"`
	InterestRate         float64        `json:"interest_rate"`
	InvestmentCount      int            `json:"investment_count"`
	InvestorCount        int            `json:"investor_count"`
	IsFeatured           bool           `json:"is_featured"`
	IsSecondaryOffering  bool           `json:"is_secondary_offering"`
	LifeCycleStage       string         `json:"life_cycle_stage"`
	LoanToValue          float64        `json:"loan_to_value"`
	LoanbookID           string         `json:"loanbook_id"`
	MangopayWalletID     string         `json:"mangopay_wallet_id"`
	MaxCommitment        float64        `json:"max_commitment"`
	MaxOverfundingAmount float64        `json:"max_overfunding_amount"`
	MinCommitment        float64        `json:"min_commitment"`
	Name                 string         `json:"name"`
	NumOfShares          int64          `json:"num_of_shares"`
	OfferingDescription  string         `json:"offering_description"`
	OpenDate             string         `json:"open_date"`
	OrganizationID       int64          `json:"organization_id"`
	PricePerShare        float64        `json:"price_per_share"`
	PrimaryOfferingID    int64          `json:"primary_offering_id"`
	RaisedPercent        float64        `json:"raised_percent"`
	RepaymentsRemaining  int            `json:"repayments_remaining"`
	Term                 int            `json:"term"`
	UserID               int64          `json:"user_id"`
	Valuation            float64        `json:"valuation"`
}

// Investment life cycle stages.
const (
	investPending   = "Pending"
	investSettled   = "Settled"
	investCancelled = "Cancelled"
	investRefunded  = "Refunded"
)

// Investment is a commitment of a user to an offering.
type Investment struct {
	ID                  int64          `json:"id"`
	CreatedAt           string         `json:"created_at"`
	UpdatedAt           string         `json:"updated_at"`
	CapitalOutstanding  float64        `json:"capital_outstanding"`
	Currency            string         `json:"currency"`
	Custom              map[string]any `json:"custom"`
	DivestedAmount      float64        `json:"divested_amount"`
	DivestedShares      int64          `json:"divested_shares"`
	Documents           []Document     `json:"documents"`
	InterestRate        float64        `json:"interest_rate"`
	InvestmentAmount    float64        `json:"investment_amount"`
	IsLoanbook          bool           `json:"is_loanbook"`
	LifeCycleStage      string         `json:"life_cycle_stage"`
	NumberOfShares      int64          `json:"number_of_shares"`
	OfferingID          int64          `json:"offering_id"`
	OrgID               int64          `json:"org_id"`
	OrgName             string         `json:"org_name"`
	RepaymentsRemaining int            `json:"repayments_remaining"`
	SettledAt           string         `json:"settled_at"`
	Term                int            `json:"term"`
	UserEmail           string         `json:"user_email"`
	UserID              int64          `json:"user_id"`
	UserName            string         `json:"user_name"`
	Visibility          string         `json:"visibility"`
}

// Document is an uploaded file's metadata. life_cycle_stage: 0 Open,
// 1 Rejected, 2 Approved, 3 Withdrawn.
type Document struct {
	ID              int64  `json:"id"`
	CreatedAt       string `json:"created_at"`
	UpdatedAt       string `json:"updated_at"`
	DocumentGroup   string `json:"document_group"`
	FileAlias       string `json:"file_alias"`
	FileDescription string `json:"file_description"`
	FileName        string `json:"file_name"`
	FileType        string `json:"file_type"`
	GroupID         int64  `json:"group_id"`
	LifeCycleStage  int    `json:"life_cycle_stage"`
	OwnerID         int64  `json:"owner_id"`
	OwnerType       string `json:"owner_type"`
	SourceType      int    `json:"source_type"`
	Tag             string `json:"tag"`
	URL             string `json:"url"`
	UserID          int64  `json:"user_id"`
}

// Payout is a scheduled payment to an investor.
type Payout struct {
	ID                  int64          `json:"id"`
	CreatedAt           string         `json:"created_at"`
	UpdatedAt           string         `json:"updated_at"`
	InvestmentID        int64          `json:"investment_id"`
	UserID              int64          `json:"user_id"`
	DueDate             string         `json:"due_date"`
	PayoutAmount        float64        `json:"payout_amount"`
	MinimumPayment      float64        `json:"minimum_payment"`
	Currency            string         `json:"currency"`
	PayoutType          string         `json:"payout_type"`
	AdditionalType      string         `json:"additional_type"`
	LateFee             float64        `json:"late_fee"`
	ServiceCharge       float64        `json:"service_charge"`
	ChargeOffs          float64        `json:"charge_offs"`
	NetRecoveries       float64        `json:"net_recoveries"`
	TransactionsPaid    float64        `json:"transactions_paid"`
	PaidAt              string         `json:"paid_at"`
	NetAnnualizedReturn float64        `json:"net_annualized_return"`
	Custom              map[string]any `json:"custom"`
}

// Transaction is a money movement (investment payment, payout).
type Transaction struct {
	ID                          int64   `json:"id"`
	CreatedAt                   string  `json:"created_at"`
	UpdatedAt                   string  `json:"updated_at"`
	WalletID                    int64   `json:"wallet_id"`
	UserID                      int64   `json:"user_id"`
	UserName                    string  `json:"user_name"`
	InvestmentID                int64   `json:"investment_id,omitempty"`
	TransactionDescription      string  `json:"transaction_description"`
	TransactionAmount           float64 `json:"transaction_amount"`
	TransactionCurrency         string  `json:"transaction_currency"`
	PaymentStatus               string  `json:"payment_status"`
	PaymentService              string  `json:"payment_service"`
	PayoutID                    int64   `json:"payout_id"`
	OriginalTransactionAmount   float64 `json:"original_transaction_amount"`
	OriginalTransactionCurrency string  `json:"original_transaction_currency"`
	PaymentServiceLogID         string  `json:"payment_service_log_id"`
	ConfirmationNumber          string  `json:"confirmation_number"`
}

// Wallet is a user's money account.
type Wallet struct {
	ID        int64   `json:"id"`
	CreatedAt string  `json:"created_at"`
	UpdatedAt string  `json:"updated_at"`
	UserID    int64   `json:"user_id"`
	Currency  string  `json:"currency"`
	Balance   float64 `json:"balance"`
	Status    string  `json:"status"`
}

// Invitation is an invitation e-mail a user sent.
type Invitation struct {
	ID               int64  `json:"id"`
	CreatedAt        string `json:"created_at"`
	UpdatedAt        string `json:"updated_at"`
	UserID           int64  `json:"user_id"`
	Email            string `json:"email"`
	GivenName        string `json:"given_name"`
	FamilyName       string `json:"family_name"`
	OrganizationName string `json:"organization_name"`
	Status           string `json:"status"`
}

// DealRoom is an offering's private discussion and document space.
type DealRoom struct {
	ID         int64          `json:"id"`
	CreatedAt  string         `json:"created_at"`
	UpdatedAt  string         `json:"updated_at"`
	OfferingID int64          `json:"offering_id"`
	UserID     int64          `json:"user_id"`
	Name       string         `json:"name"`
	Custom     map[string]any `json:"custom"`
}

// Bulletin is an offering update.
type Bulletin struct {
	ID         int64  `json:"id"`
	CreatedAt  string `json:"created_at"`
	UpdatedAt  string `json:"updated_at"`
	OfferingID int64  `json:"offering_id"`
	UserID     int64  `json:"user_id"`
	Title      string `json:"title"`
	Body       string `json:"body"`
}

// Topic is a deal-room thread.
type Topic struct {
	ID         int64  `json:"id"`
	CreatedAt  string `json:"created_at"`
	UpdatedAt  string `json:"updated_at"`
	DealRoomID int64  `json:"dealroom_id"`
	UserID     int64  `json:"user_id"`
	Title      string `json:"title"`
	Body       string `json:"body"`
	GivenName  string `json:"given_name"`
	FamilyName string `json:"family_name"`
}

// Post is a message in a topic; Comment is a reply to a post.
type Post struct {
	ID        int64  `json:"id"`
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at"`
	TopicID   int64  `json:"topic_id,omitempty"`
	PostID    int64  `json:"post_id,omitempty"`
	Body      string `json:"body"`
	UserID    int64  `json:"user_id"`
	UserName  string `json:"user_name"`
}

// AccessRequest is a user's request to enter a deal room.
type AccessRequest struct {
	ID         int64  `json:"id"`
	CreatedAt  string `json:"created_at"`
	UpdatedAt  string `json:"updated_at"`
	DealRoomID int64  `json:"dealroom_id"`
	UserID     int64  `json:"user_id"`
	Status     string `json:"status"`
	GroupID    int64  `json:"group_id"`
}

// Group is a deal room's document or access group.
type Group struct {
	ID         int64          `json:"id"`
	CreatedAt  string         `json:"created_at"`
	UpdatedAt  string         `json:"updated_at"`
	DealRoomID int64          `json:"dealroom_id"`
	GroupType  string         `json:"group_type"`
	Name       string         `json:"name"`
	Custom     map[string]any `json:"custom"`
}

// Capitalization is an organization's cap table.
type Capitalization struct {
	ID             int64            `json:"id"`
	CreatedAt      string           `json:"created_at"`
	UpdatedAt      string           `json:"updated_at"`
	OrganizationID int64            `json:"organization_id"`
	OfferingID     int64            `json:"offering_id"`
	TotalShares    int64            `json:"total_shares"`
	Shareholders   []CapTableHolder `json:"shareholders"`
	Changelog      []CapTableChange `json:"changelog"`
}

// CapTableHolder is one line of a cap table.
type CapTableHolder struct {
	UserID         int64   `json:"user_id"`
	Name           string  `json:"name"`
	NumberOfShares int64   `json:"number_of_shares"`
	Percentage     float64 `json:"percentage"`
}

// CapTableChange is one entry of a cap table's change log.
type CapTableChange struct {
	CreatedAt    string `json:"created_at"`
	InvestmentID int64  `json:"investment_id"`
	UserID       int64  `json:"user_id"`
	SharesDelta  int64  `json:"shares_delta"`
	Description  string `json:"description"`
}

// KYCCheck is a third-party identity check (Veridu, GBG, Reyker).
type KYCCheck struct {
	ID        string         `json:"id"`
	CreatedAt string         `json:"created_at"`
	UpdatedAt string         `json:"updated_at"`
	UserID    int64          `json:"user_id"`
	Service   string         `json:"service"`
	Check     string         `json:"check"`
	Status    string         `json:"status"`
	Result    map[string]any `json:"result"`
}

// Email is a message the service would have sent; the sandbox captures it.
type Email struct {
	ID        int64  `json:"id"`
	CreatedAt string `json:"created_at"`
	To        string `json:"to"`
	Subject   string `json:"subject"`
	Type      string `json:"type"`
	UserID    int64  `json:"user_id"`
	Secret    string `json:"secret,omitempty"`
	URL       string `json:"url,omitempty"`
	Body      string `json:"body"`
}

// secret is a pending verification or reset secret of a user.
type secret struct {
	UserID  int64  `json:"user_id"`
	Purpose string `json:"purpose"`
	Secret  string `json:"secret"`
	Email   string `json:"email,omitempty"` // the new address of a change-email
}
