package difitek

import (
	"strings"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// organizationWritable are the fields POST/PATCH /organizations accept.
var organizationWritable = []string{"additional_type", "address", "alternate_name", "brief_desc", "company_number",
	"contact_point", "credit_score", "custom", "detail_desc", "display_name", "facebook", "founding_date",
	"founding_location", "legal_name", "linkedin", "location", "org_email", "sector", "tax_id", "telephone",
	"twitter", "visibility", "website", "youtube"}

// createOrganization stores an organization owned by its user_id.
func createOrganization(tx *platform.Tx, org Organization) (Organization, error) {
	id, err := nextID(tx, kindOrganization)
	if err != nil {
		return org, err
	}
	now := timestamp(tx.Now())
	org.ID, org.CreatedAt, org.UpdatedAt = id, now, now
	normalizeOrganization(&org)
	if len(org.Members) == 0 && org.UserID != 0 {
		org.Members = []int64{org.UserID}
	}
	return org, putRecord(tx, kindOrganization, id, org)
}

func normalizeOrganization(org *Organization) {
	if org.Custom == nil {
		org.Custom = map[string]any{}
	}
	if org.Documents == nil {
		org.Documents = []Document{}
	}
	if org.Members == nil {
		org.Members = []int64{}
	}
	org.Visibility = normalizeVisibility(org.Visibility)
	if org.LifeCycleStage == "" {
		org.LifeCycleStage = "Active"
	}
}

// normalizeVisibility maps the forms clients send (POSTMAN's sample sends
// "1") to Open and Private; other values are kept.
func normalizeVisibility(v string) string {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "1", "open", "public":
		return visibilityOpen
	case "0", "private", "hidden":
		return visibilityPrivate
	}
	return v
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func removeID(ids []int64, id int64) []int64 {
	out := make([]int64, 0, len(ids))
	for _, x := range ids {
		if x != id {
			out = append(out, x)
		}
	}
	return out
}

func (p *Provider) listOrganizations(req *platform.Request) (any, error) {
	pr := principalOf(req)
	return listOf(req, kindOrganization, func(_ *platform.Tx, o Organization) bool {
		return o.Visibility != visibilityPrivate || pr.Admin || isMember(o, pr.UserID)
	})
}

func (p *Provider) getOrganization(req *platform.Request) (any, error) {
	pr := principalOf(req)
	return oneShared(req, kindOrganization, "organization", func(o Organization) error {
		if o.Visibility == visibilityPrivate && !pr.Admin && !isMember(o, pr.UserID) {
			return errNotFound
		}
		return nil
	})
}

// postOrganization is POST /organizations (and the admin-style
// POST /v1/admin/{network}/{user_id}/organization, whose owner is user_id).
func (p *Provider) postOrganization(req *platform.Request) (any, error) {
	owner := principalOf(req).UserID
	if v := req.Var("user_id"); v != "" {
		id, err := parseID(v)
		if err != nil {
			return nil, err
		}
		owner = id
	}
	org, _, err := patchRecord(Organization{}, req, organizationWritable...)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(org.DisplayName) == "" {
		return nil, errMissingParam.with("Parameter missing: display_name").withField("display_name", "required")
	}
	org.UserID = owner
	return req.Commit(func(tx *platform.Tx) (any, error) {
		if !exists(tx, kindUser, owner) {
			return nil, errNotFound
		}
		org, err := createOrganization(tx, org)
		if err != nil {
			return nil, err
		}
		return process("organization", org.ID, org), addMembership(tx, owner, org)
	})
}

// manageOrganization loads an organization the caller may change.
func manageOrganization(tx *platform.Tx, req *platform.Request) (Organization, error) {
	id, err := pathID(req, "id")
	if err != nil {
		return Organization{}, err
	}
	org, err := getRecord[Organization](tx, kindOrganization, id)
	if err != nil {
		return org, err
	}
	pr := principalOf(req)
	if !pr.Admin && !isMember(org, pr.UserID) {
		return org, errForbidden.with("User %d is not a member of organization %d", pr.UserID, id)
	}
	return org, nil
}

func (p *Provider) patchOrganization(req *platform.Request) (any, error) {
	return req.Commit(func(tx *platform.Tx) (any, error) {
		org, err := manageOrganization(tx, req)
		if err != nil {
			return nil, err
		}
		next, _, err := patchRecord(org, req, organizationWritable...)
		if err != nil {
			return nil, err
		}
		normalizeOrganization(&next)
		next.UpdatedAt = timestamp(tx.Now())
		return process("organization", next.ID, next), putRecord(tx, kindOrganization, next.ID, next)
	})
}

// member adds (add=true) or removes a member.
func (p *Provider) member(add bool) platform.HandlerFunc {
	return func(req *platform.Request) (any, error) {
		uid, err := pathID(req, "user_id")
		if err != nil {
			return nil, err
		}
		return req.Commit(func(tx *platform.Tx) (any, error) {
			org, err := manageOrganization(tx, req)
			if err != nil {
				return nil, err
			}
			if !exists(tx, kindUser, uid) {
				return nil, errNotFound
			}
			if add {
				if containsID(org.Members, uid) {
					return nil, errAlreadyMember
				}
				org.Members = append(org.Members, uid)
				if err := addMembership(tx, uid, org); err != nil {
					return nil, err
				}
			} else {
				if !containsID(org.Members, uid) {
					return nil, errNotFound
				}
				org.Members = removeID(org.Members, uid)
				if err := removeMembership(tx, uid, org.ID); err != nil {
					return nil, err
				}
			}
			org.UpdatedAt = timestamp(tx.Now())
			return process("organization", org.ID, org), putRecord(tx, kindOrganization, org.ID, org)
		})
	}
}

func (p *Provider) organizationOfferings(req *platform.Request) (any, error) {
	id, err := pathID(req, "id")
	if err != nil {
		return nil, err
	}
	pr := principalOf(req)
	return listOf(req, kindOffering, func(tx *platform.Tx, o Offering) bool {
		return o.OrganizationID == id && (visibleOffering(tx, pr, o) || canManageOffering(tx, pr, o))
	})
}
