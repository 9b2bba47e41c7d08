#include "test_fixture.hpp"

namespace uxf::identity {
namespace {

class WorkspaceTest : public IdentityTest {
  protected:
    void SetUp() override {
        owner_ = MustRegister("owner@example.com", "correct horse battery", "Owner");
        other_ = MustRegister("other@example.com", "correct horse battery", "Other");
        clock_.Advance(kSecond);
        ws_ = *workspaces_.Create(owner_.user.id, "Team", meta_);
    }
    AuthResult owner_, other_;
    Workspace ws_;
};

TEST_F(WorkspaceTest, CreateListGet) {
    EXPECT_EQ(ws_.role, Role::kOwner);
    auto list = workspaces_.List(owner_.user.id, 50, "");
    ASSERT_EQ(list->items.size(), 2u);
    EXPECT_TRUE(list->items[0].personal);
    EXPECT_EQ(list->items[1].name, "Team");
    auto page1 = workspaces_.List(owner_.user.id, 1, "");
    ASSERT_EQ(page1->items.size(), 1u);
    ASSERT_FALSE(page1->next_cursor.empty());
    auto page2 = workspaces_.List(owner_.user.id, 1, page1->next_cursor);
    ASSERT_EQ(page2->items.size(), 1u);
    EXPECT_EQ(page2->items[0].id, ws_.id);
    EXPECT_TRUE(page2->next_cursor.empty());
    EXPECT_EQ(workspaces_.List(owner_.user.id, 1, "!!").error().code, ErrorCode::kInvalidInput);
    EXPECT_EQ(workspaces_.Create(owner_.user.id, "   ", meta_).error().code, ErrorCode::kInvalidInput);
}

TEST_F(WorkspaceTest, StrangersGetNotFoundForEverything) {
    const auto& s = other_.user.id;
    EXPECT_EQ(workspaces_.Get(s, ws_.id).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(workspaces_.Members(s, ws_.id, 50, "").error().code, ErrorCode::kNotFound);
    EXPECT_EQ(workspaces_.AddMember(s, ws_.id, "other@example.com", Role::kOwner, meta_).error().code,
              ErrorCode::kNotFound);
    EXPECT_EQ(workspaces_.AuditLog(s, ws_.id, 50, "").error().code, ErrorCode::kNotFound);
    EXPECT_EQ(workspaces_.Authorize(s, ws_.id, Role::kViewer).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(workspaces_.RemoveMember(s, ws_.id, owner_.user.id, meta_).error().code, ErrorCode::kNotFound);
}

TEST_F(WorkspaceTest, RolesGovernMemberManagement) {
    auto added = workspaces_.AddMember(owner_.user.id, ws_.id, "OTHER@example.com", Role::kViewer, meta_);
    ASSERT_TRUE(added.ok());
    EXPECT_EQ(added->role, Role::kViewer);
    EXPECT_EQ(workspaces_.AddMember(owner_.user.id, ws_.id, "other@example.com", Role::kEditor, meta_).error().slug,
              "already_member");
    EXPECT_EQ(workspaces_.AddMember(owner_.user.id, ws_.id, "ghost@example.com", Role::kEditor, meta_).error().slug,
              "user_not_found");
    // A viewer reads but cannot manage.
    EXPECT_TRUE(workspaces_.Get(other_.user.id, ws_.id).ok());
    EXPECT_EQ(workspaces_.Members(other_.user.id, ws_.id, 50, "")->items.size(), 2u);
    EXPECT_EQ(workspaces_.Authorize(other_.user.id, ws_.id, Role::kEditor).error().code, ErrorCode::kForbidden);
    EXPECT_EQ(workspaces_.ChangeRole(other_.user.id, ws_.id, other_.user.id, Role::kAdmin, meta_).error().code,
              ErrorCode::kForbidden);
    EXPECT_EQ(workspaces_.AuditLog(other_.user.id, ws_.id, 50, "").error().code, ErrorCode::kForbidden);
    // An admin manages members but cannot touch owners.
    ASSERT_TRUE(workspaces_.ChangeRole(owner_.user.id, ws_.id, other_.user.id, Role::kAdmin, meta_).ok());
    EXPECT_EQ(workspaces_.ChangeRole(other_.user.id, ws_.id, owner_.user.id, Role::kViewer, meta_).error().code,
              ErrorCode::kForbidden);
    EXPECT_EQ(workspaces_.ChangeRole(other_.user.id, ws_.id, other_.user.id, Role::kOwner, meta_).error().code,
              ErrorCode::kForbidden);
    EXPECT_EQ(workspaces_.RemoveMember(other_.user.id, ws_.id, owner_.user.id, meta_).error().code,
              ErrorCode::kForbidden);
    EXPECT_TRUE(workspaces_.AuditLog(other_.user.id, ws_.id, 50, "").ok());
    EXPECT_TRUE(HasEvent("workspace.member_role_changed"));
}

TEST_F(WorkspaceTest, TheLastOwnerCannotLeaveOrBeDemoted) {
    EXPECT_EQ(workspaces_.RemoveMember(owner_.user.id, ws_.id, owner_.user.id, meta_).error().slug, "last_owner");
    EXPECT_EQ(workspaces_.ChangeRole(owner_.user.id, ws_.id, owner_.user.id, Role::kAdmin, meta_).error().slug,
              "last_owner");
    ASSERT_TRUE(workspaces_.AddMember(owner_.user.id, ws_.id, "other@example.com", Role::kOwner, meta_).ok());
    ASSERT_TRUE(workspaces_.RemoveMember(owner_.user.id, ws_.id, owner_.user.id, meta_).ok());  // leaves
    EXPECT_EQ(workspaces_.Get(owner_.user.id, ws_.id).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(workspaces_.RemoveMember(other_.user.id, ws_.id, other_.user.id, meta_).error().slug, "last_owner");
}

TEST_F(WorkspaceTest, AuditLogRecordsSecurityEventsOfMembersNewestFirst) {
    ASSERT_TRUE(workspaces_.AddMember(owner_.user.id, ws_.id, "other@example.com", Role::kEditor, meta_).ok());
    clock_.Advance(kSecond);
    (void)auth_.Login({"other@example.com", "wrong horse battery"}, meta_);
    clock_.Advance(kSecond);
    ASSERT_TRUE(workspaces_.ChangeRole(owner_.user.id, ws_.id, other_.user.id, Role::kViewer, meta_).ok());
    auto log = workspaces_.AuditLog(owner_.user.id, ws_.id, 2, "");
    ASSERT_EQ(log->items.size(), 2u);
    EXPECT_EQ(log->items[0].action, "workspace.member_role_changed");
    EXPECT_EQ(log->items[0].details, "editor -> viewer");
    EXPECT_EQ(log->items[0].actor_id, owner_.user.id);
    EXPECT_EQ(log->items[1].action, "auth.login_failed");
    EXPECT_EQ(log->items[1].ip, "10.0.0.1");
    EXPECT_EQ(log->items[1].user_agent, "gtest");
    auto rest = workspaces_.AuditLog(owner_.user.id, ws_.id, 50, log->next_cursor);
    ASSERT_TRUE(rest.ok());
    bool saw_added = false;
    for (const auto& e : rest->items) {
        saw_added |= e.action == "workspace.member_added";
        EXPECT_NE(e.action, "user.registered");  // other workspaces' events stay there
    }
    EXPECT_TRUE(saw_added);
}

}  // namespace
}  // namespace uxf::identity
