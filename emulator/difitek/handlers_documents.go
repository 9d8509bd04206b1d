package difitek

import (
	"net/http"
	"path"
	"strings"

	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/google/uuid"
)

// documentInput is the body of a document attachment.
type documentInput struct {
	URL             string `json:"url"`
	FileType        string `json:"file_type"`
	FileAlias       string `json:"file_alias"`
	FileName        string `json:"file_name"`
	FileDescription string `json:"file_description"`
	GroupID         int64  `json:"group_id"`
	SourceType      int    `json:"source_type"`
	Tag             string `json:"tag"`
}

// createDocument stores a document and lists it on its owner's documents.
func createDocument(tx *platform.Tx, d Document) (Document, error) {
	id, err := nextID(tx, kindDocument)
	if err != nil {
		return d, err
	}
	now := timestamp(tx.Now())
	d.ID, d.CreatedAt, d.UpdatedAt = id, now, now
	if d.FileName == "" {
		d.FileName = path.Base(d.URL)
	}
	if d.FileAlias == "" {
		d.FileAlias = d.FileName
	}
	if err := putRecord(tx, kindDocument, id, d); err != nil {
		return d, err
	}
	return d, updateOwnerDocuments(tx, d, false)
}

// updateOwnerDocuments adds (or removes) a document on its owner record.
func updateOwnerDocuments(tx *platform.Tx, d Document, remove bool) error {
	edit := func(docs []Document) []Document {
		out := make([]Document, 0, len(docs)+1)
		for _, x := range docs {
			if x.ID != d.ID {
				out = append(out, x)
			}
		}
		if !remove {
			out = append(out, d)
		}
		return out
	}
	switch d.OwnerType {
	case kindUser:
		return editRecord(tx, kindUser, d.OwnerID, func(u *UserRecord) { u.Documents = edit(u.Documents) })
	case kindOrganization:
		return editRecord(tx, kindOrganization, d.OwnerID, func(o *Organization) { o.Documents = edit(o.Documents) })
	case kindOffering:
		return editRecord(tx, kindOffering, d.OwnerID, func(o *Offering) { o.Documents = edit(o.Documents) })
	case kindInvestment:
		return editRecord(tx, kindInvestment, d.OwnerID, func(i *Investment) { i.Documents = edit(i.Documents) })
	}
	return nil
}

// editRecord loads, changes and stores a record; a missing one is skipped.
func editRecord[T any](tx *platform.Tx, kind string, id int64, fn func(*T)) error {
	v, err := getRecord[T](tx, kind, id)
	if err == errNotFound {
		return nil
	}
	if err != nil {
		return err
	}
	fn(&v)
	return putRecord(tx, kind, id, v)
}

// attachDocument is POST …/documents of a user, organization, offering or
// investment (the caller's own documents for a user).
func (p *Provider) attachDocument(ownerType string) platform.HandlerFunc {
	return func(req *platform.Request) (any, error) {
		var in documentInput
		if err := decodeBody(req, &in); err != nil {
			return nil, err
		}
		if strings.TrimSpace(in.URL) == "" {
			return nil, errMissingParam.with("Parameter missing: url").withField("url", "required")
		}
		pr := principalOf(req)
		return req.Commit(func(tx *platform.Tx) (any, error) {
			ownerID := pr.UserID
			if ownerType != kindUser {
				id, err := pathID(req, "id")
				if err != nil {
					return nil, err
				}
				ownerID = id
				if err := canAttach(tx, req, ownerType, id); err != nil {
					return nil, err
				}
			}
			d, err := createDocument(tx, Document{URL: in.URL, FileType: in.FileType, FileAlias: in.FileAlias, FileName: in.FileName,
				FileDescription: in.FileDescription, GroupID: in.GroupID, SourceType: in.SourceType, Tag: in.Tag,
				UserID: pr.UserID, OwnerType: ownerType, OwnerID: ownerID})
			return process("document", d.ID, d), err
		})
	}
}

func canAttach(tx *platform.Tx, req *platform.Request, ownerType string, id int64) error {
	pr := principalOf(req)
	switch ownerType {
	case kindOrganization:
		_, err := manageOrganization(tx, req)
		return err
	case kindOffering:
		_, err := manageOffering(tx, req)
		return err
	case kindInvestment:
		inv, err := getRecord[Investment](tx, kindInvestment, id)
		if err != nil {
			return err
		}
		return investmentAccess(tx, pr, inv)
	}
	return nil
}

// ownerDocuments lists the documents of an owner.
func (p *Provider) ownerDocuments(ownerType string) platform.HandlerFunc {
	return func(req *platform.Request) (any, error) {
		pr := principalOf(req)
		ownerID := pr.UserID
		if ownerType != kindUser {
			id, err := pathID(req, "id")
			if err != nil {
				return nil, err
			}
			ownerID = id
			if err := req.View(func(tx *platform.Tx) error { return canSeeOwner(tx, pr, ownerType, id) }); err != nil {
				return nil, err
			}
		}
		return listOf(req, kindDocument, func(_ *platform.Tx, d Document) bool { return d.OwnerType == ownerType && d.OwnerID == ownerID })
	}
}

func canSeeOwner(tx *platform.Tx, pr Principal, ownerType string, id int64) error {
	switch ownerType {
	case kindUser:
		if pr.Admin || pr.UserID == id {
			return nil
		}
		return errNotFound
	case kindOrganization:
		o, err := getRecord[Organization](tx, kindOrganization, id)
		if err == nil && o.Visibility == visibilityPrivate && !pr.Admin && !isMember(o, pr.UserID) {
			err = errNotFound
		}
		return err
	case kindOffering:
		o, err := getRecord[Offering](tx, kindOffering, id)
		if err == nil && !visibleOffering(tx, pr, o) && !canManageOffering(tx, pr, o) {
			err = errNotFound
		}
		return err
	case kindInvestment:
		inv, err := getRecord[Investment](tx, kindInvestment, id)
		if err == nil {
			err = investmentAccess(tx, pr, inv)
		}
		return err
	}
	return errNotFound
}

// getDocument is GET /document/{id} (singular, as the SDK calls it).
func (p *Provider) getDocument(req *platform.Request) (any, error) {
	pr := principalOf(req)
	return oneOf(req, kindDocument, "document", func(tx *platform.Tx, d Document) error {
		if d.UserID == pr.UserID {
			return nil
		}
		return canSeeOwner(tx, pr, d.OwnerType, d.OwnerID)
	})
}

// deleteDocument is DELETE /documents/{id}: the uploader or an administrator.
func (p *Provider) deleteDocument(req *platform.Request) (any, error) {
	id, err := pathID(req, "id")
	if err != nil {
		return nil, err
	}
	pr := principalOf(req)
	return req.Commit(func(tx *platform.Tx) (any, error) {
		d, err := getRecord[Document](tx, kindDocument, id)
		if err != nil {
			return nil, err
		}
		if d.UserID != pr.UserID && !pr.Admin {
			if canSeeOwner(tx, pr, d.OwnerType, d.OwnerID) != nil {
				return nil, errNotFound
			}
			return nil, errForbidden.with("Only the uploader or an administrator deletes document %d", id)
		}
		if err := updateOwnerDocuments(tx, d, true); err != nil {
			return nil, err
		}
		return process("document", id, nil), tx.Records().Delete(kindDocument, idKey(id))
	})
}

// s3URL is PUT /s3: a pre-signed upload target. The emulator accepts the
// upload itself (PUT or POST to the url) and discards the bytes.
func (p *Provider) s3URL(req *platform.Request) (any, error) {
	in := map[string]any{}
	if err := decodeBody(req, &in); err != nil {
		return nil, err
	}
	name, _ := in["file_name"].(string)
	if name == "" {
		name, _ = in["name"].(string)
	}
	if name == "" {
		name = "upload"
	}
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	contentType, _ := in["file_type"].(string)
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	key := "uploads/" + credsOf(req).Network + "/" + uuid.NewString() + "/" + name
	base := req.BaseURL() + "/_s3/" + key
	return map[string]any{
		"url": base, "key": key, "method": "PUT", "content_type": contentType,
		"cdn_url": base, "expires_in": 3600,
	}, nil
}

// s3Upload accepts an upload to a URL from PUT /s3.
func s3Upload() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"`+strings.ReplaceAll(uuid.NewString(), "-", "")+`"`)
		w.WriteHeader(http.StatusOK)
	})
}

// capitalization is GET /capitalizations/{id}: the cap table of the
// organization with that id, from its settled investments.
func (p *Provider) capitalization(withChangelog bool) platform.HandlerFunc {
	return func(req *platform.Request) (any, error) {
		id, err := pathID(req, "id")
		if err != nil {
			return nil, err
		}
		var capt Capitalization
		err = req.View(func(tx *platform.Tx) error {
			org, err := getRecord[Organization](tx, kindOrganization, id)
			if err != nil {
				return err
			}
			capt = Capitalization{ID: org.ID, CreatedAt: org.CreatedAt, UpdatedAt: org.UpdatedAt, OrganizationID: org.ID,
				Shareholders: []CapTableHolder{}, Changelog: []CapTableChange{}}
			invs, err := listRecords[Investment](tx, kindInvestment)
			if err != nil {
				return err
			}
			holders := map[int64]*CapTableHolder{}
			var order []int64
			for _, inv := range invs {
				if inv.OrgID != org.ID || inv.LifeCycleStage != investSettled {
					continue
				}
				capt.OfferingID = inv.OfferingID
				h := holders[inv.UserID]
				if h == nil {
					h = &CapTableHolder{UserID: inv.UserID, Name: inv.UserName}
					holders[inv.UserID] = h
					order = append(order, inv.UserID)
				}
				h.NumberOfShares += inv.NumberOfShares
				capt.TotalShares += inv.NumberOfShares
				capt.Changelog = append(capt.Changelog, CapTableChange{CreatedAt: inv.SettledAt, InvestmentID: inv.ID,
					UserID: inv.UserID, SharesDelta: inv.NumberOfShares, Description: "Investment settled"})
				if inv.SettledAt > capt.UpdatedAt {
					capt.UpdatedAt = inv.SettledAt
				}
			}
			for _, uid := range order {
				h := holders[uid]
				if capt.TotalShares > 0 {
					h.Percentage = round2(float64(h.NumberOfShares) / float64(capt.TotalShares) * 100)
				}
				capt.Shareholders = append(capt.Shareholders, *h)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if withChangelog {
			return ListData{Offset: 0, Limit: len(capt.Changelog), Count: len(capt.Changelog), List: capt.Changelog}, nil
		}
		return object("capitalization", capt), nil
	}
}
