package difitek

import (
	"strings"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// Access request statuses.
const (
	accessPending  = "Pending"
	accessApproved = "Approved"
	accessDenied   = "Denied"
)

func createTopic(tx *platform.Tx, t Topic) (Topic, error) {
	id, err := nextID(tx, kindTopic)
	if err != nil {
		return t, err
	}
	now := timestamp(tx.Now())
	t.ID, t.CreatedAt, t.UpdatedAt = id, now, now
	return t, putRecord(tx, kindTopic, id, t)
}

// createPost stores a post (kindPost) or a comment (kindComment).
func createPost(tx *platform.Tx, kind string, p Post) (Post, error) {
	id, err := nextID(tx, kind)
	if err != nil {
		return p, err
	}
	now := timestamp(tx.Now())
	p.ID, p.CreatedAt, p.UpdatedAt = id, now, now
	return p, putRecord(tx, kind, id, p)
}

// dealRoomOf loads a deal room and its offering, hiding rooms of offerings
// the caller cannot see.
func dealRoomOf(tx *platform.Tx, pr Principal, id int64) (DealRoom, Offering, error) {
	d, err := getRecord[DealRoom](tx, kindDealRoom, id)
	if err != nil {
		return d, Offering{}, err
	}
	off, err := getRecord[Offering](tx, kindOffering, d.OfferingID)
	if err != nil {
		return d, off, errNotFound
	}
	if !visibleOffering(tx, pr, off) && !canManageOffering(tx, pr, off) {
		return d, off, errNotFound
	}
	return d, off, nil
}

// patchDealRoom stores free JSON: name is kept, the rest goes to custom.
func (p *Provider) patchDealRoom(req *platform.Request) (any, error) {
	id, err := pathID(req, "id")
	if err != nil {
		return nil, err
	}
	in := map[string]any{}
	if err := decodeBody(req, &in); err != nil {
		return nil, err
	}
	pr := principalOf(req)
	return req.Commit(func(tx *platform.Tx) (any, error) {
		d, off, err := dealRoomOf(tx, pr, id)
		if err != nil {
			return nil, err
		}
		if !canManageOffering(tx, pr, off) {
			return nil, errForbidden.with("User %d may not change deal room %d", pr.UserID, id)
		}
		for k, v := range in {
			if k == "name" {
				d.Name, _ = v.(string)
				continue
			}
			d.Custom[k] = v
		}
		d.UpdatedAt = timestamp(tx.Now())
		return process("dealroom", id, d), putRecord(tx, kindDealRoom, id, d)
	})
}

// dealRoomChildren lists a deal room's records.
func dealRoomChildren[T any](kind string, roomOf func(T) int64) platform.HandlerFunc {
	return func(req *platform.Request) (any, error) {
		id, err := pathID(req, "id")
		if err != nil {
			return nil, err
		}
		pr := principalOf(req)
		if err := req.View(func(tx *platform.Tx) error { _, _, err := dealRoomOf(tx, pr, id); return err }); err != nil {
			return nil, err
		}
		return listOf(req, kind, func(_ *platform.Tx, v T) bool { return roomOf(v) == id })
	}
}

func (p *Provider) postTopic(req *platform.Request) (any, error) {
	id, err := pathID(req, "id")
	if err != nil {
		return nil, err
	}
	var in struct {
		Title      string `json:"title"`
		Body       string `json:"body"`
		GivenName  string `json:"given_name"`
		FamilyName string `json:"family_name"`
	}
	if err := decodeBody(req, &in); err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.Title) == "" {
		return nil, errMissingParam.with("Parameter missing: title").withField("title", "required")
	}
	pr := principalOf(req)
	return req.Commit(func(tx *platform.Tx) (any, error) {
		if _, _, err := dealRoomOf(tx, pr, id); err != nil {
			return nil, err
		}
		u, err := me(tx, req)
		if err != nil {
			return nil, err
		}
		if in.GivenName == "" && in.FamilyName == "" {
			in.GivenName, in.FamilyName = u.GivenName, u.FamilyName
		}
		t, err := createTopic(tx, Topic{DealRoomID: id, UserID: u.ID, Title: in.Title, Body: in.Body, GivenName: in.GivenName, FamilyName: in.FamilyName})
		return process("topic", t.ID, t), err
	})
}

// postMessage adds a post to a topic or a comment to a post.
func (p *Provider) postMessage(kind, parentKind string) platform.HandlerFunc {
	return func(req *platform.Request) (any, error) {
		id, err := pathID(req, "id")
		if err != nil {
			return nil, err
		}
		var in struct {
			Body string `json:"body"`
		}
		if err := decodeBody(req, &in); err != nil {
			return nil, err
		}
		if strings.TrimSpace(in.Body) == "" {
			return nil, errMissingParam.with("Parameter missing: body").withField("body", "required")
		}
		return req.Commit(func(tx *platform.Tx) (any, error) {
			if tx.Records().GetRaw(parentKind, idKey(id)) == nil {
				return nil, errNotFound
			}
			u, err := me(tx, req)
			if err != nil {
				return nil, err
			}
			msg := Post{Body: in.Body, UserID: u.ID, UserName: userName(u)}
			if kind == kindPost {
				msg.TopicID = id
			} else {
				msg.PostID = id
			}
			msg, err = createPost(tx, kind, msg)
			return process(kind, msg.ID, msg), err
		})
	}
}

// requestAccess is POST /dealrooms/{id}/accessrequest.
func (p *Provider) requestAccess(req *platform.Request) (any, error) {
	id, err := pathID(req, "id")
	if err != nil {
		return nil, err
	}
	pr := principalOf(req)
	return req.Commit(func(tx *platform.Tx) (any, error) {
		if _, _, err := dealRoomOf(tx, pr, id); err != nil {
			return nil, err
		}
		all, err := listRecords[AccessRequest](tx, kindAccess)
		if err != nil {
			return nil, err
		}
		for _, a := range all {
			if a.DealRoomID == id && a.UserID == pr.UserID {
				return process("accessrequest", a.ID, a), nil
			}
		}
		aid, err := nextID(tx, kindAccess)
		if err != nil {
			return nil, err
		}
		now := timestamp(tx.Now())
		a := AccessRequest{ID: aid, CreatedAt: now, UpdatedAt: now, DealRoomID: id, UserID: pr.UserID, Status: accessPending}
		return process("accessrequest", aid, a), putRecord(tx, kindAccess, aid, a)
	})
}

// accessRequestOfUser is GET /dealrooms/{id}/accessrequests/{user_id}.
func (p *Provider) accessRequestOfUser(req *platform.Request) (any, error) {
	id, err := pathID(req, "id")
	if err != nil {
		return nil, err
	}
	uid, err := pathID(req, "user_id")
	if err != nil {
		return nil, err
	}
	pr := principalOf(req)
	var found *AccessRequest
	err = req.View(func(tx *platform.Tx) error {
		if _, _, err := dealRoomOf(tx, pr, id); err != nil {
			return err
		}
		all, err := listRecords[AccessRequest](tx, kindAccess)
		for i := range all {
			if all[i].DealRoomID == id && all[i].UserID == uid {
				found = &all[i]
			}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if found == nil {
		return nil, errNotFound
	}
	return object("accessrequest", found), nil
}

// decideAccess is PATCH /dealrooms/{id}/accessrequests/{request_id}?status=…
// (administrators).
func (p *Provider) decideAccess(req *platform.Request) (any, error) {
	id, err := pathID(req, "id")
	if err != nil {
		return nil, err
	}
	rid, err := pathID(req, "request_id")
	if err != nil {
		return nil, err
	}
	status := req.URL.Query().Get("status")
	if status == "" {
		var in struct {
			Status string `json:"status"`
		}
		if err := decodeBody(req, &in); err != nil {
			return nil, err
		}
		status = in.Status
	}
	to, ok := canonicalStage(status, accessPending, accessApproved, accessDenied)
	if !ok {
		return nil, errInvalidParam.with("status must be Approved, Denied or Pending").withField("status", "invalid")
	}
	return req.Commit(func(tx *platform.Tx) (any, error) {
		a, err := getRecord[AccessRequest](tx, kindAccess, rid)
		if err != nil || a.DealRoomID != id {
			return nil, errNotFound
		}
		a.Status, a.UpdatedAt = to, timestamp(tx.Now())
		return process("accessrequest", rid, a), putRecord(tx, kindAccess, rid, a)
	})
}

// postGroup creates a document or access group of a deal room.
func (p *Provider) postGroup(groupType string) platform.HandlerFunc {
	return func(req *platform.Request) (any, error) {
		id, err := pathID(req, "id")
		if err != nil {
			return nil, err
		}
		in := map[string]any{}
		if err := decodeBody(req, &in); err != nil {
			return nil, err
		}
		pr := principalOf(req)
		return req.Commit(func(tx *platform.Tx) (any, error) {
			_, off, err := dealRoomOf(tx, pr, id)
			if err != nil {
				return nil, err
			}
			if !canManageOffering(tx, pr, off) {
				return nil, errForbidden.with("User %d may not change deal room %d", pr.UserID, id)
			}
			gid, err := nextID(tx, kindGroup)
			if err != nil {
				return nil, err
			}
			now := timestamp(tx.Now())
			name, _ := in["name"].(string)
			delete(in, "name")
			g := Group{ID: gid, CreatedAt: now, UpdatedAt: now, DealRoomID: id, GroupType: groupType, Name: name, Custom: in}
			return process("group", gid, g), putRecord(tx, kindGroup, gid, g)
		})
	}
}

// patchGroup is POST /dealrooms/{id}/accessgroups/{group_id}: update an
// access group with free JSON.
func (p *Provider) patchGroup(req *platform.Request) (any, error) {
	gid, err := pathID(req, "group_id")
	if err != nil {
		return nil, err
	}
	in := map[string]any{}
	if err := decodeBody(req, &in); err != nil {
		return nil, err
	}
	return req.Commit(func(tx *platform.Tx) (any, error) {
		g, err := getRecord[Group](tx, kindGroup, gid)
		if err != nil {
			return nil, err
		}
		for k, val := range in {
			if k == "name" {
				g.Name, _ = val.(string)
				continue
			}
			g.Custom[k] = val
		}
		g.UpdatedAt = timestamp(tx.Now())
		return process("group", gid, g), putRecord(tx, kindGroup, gid, g)
	})
}

// assignGroup is POST /dealrooms/{id}/accessrequests/{request_id}/group/{group_id}.
func (p *Provider) assignGroup(req *platform.Request) (any, error) {
	rid, err := pathID(req, "request_id")
	if err != nil {
		return nil, err
	}
	gid, err := pathID(req, "group_id")
	if err != nil {
		return nil, err
	}
	return req.Commit(func(tx *platform.Tx) (any, error) {
		a, err := getRecord[AccessRequest](tx, kindAccess, rid)
		if err != nil {
			return nil, err
		}
		if _, err := getRecord[Group](tx, kindGroup, gid); err != nil {
			return nil, err
		}
		a.GroupID, a.UpdatedAt = gid, timestamp(tx.Now())
		return process("accessrequest", rid, a), putRecord(tx, kindAccess, rid, a)
	})
}
