from django.contrib import admin

from forums.models import Board, Post, PostEdit, Report, Thread


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ["name", "workspace", "slug", "position"]
    list_filter = ["workspace"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ["title", "board", "author", "post_count", "is_pinned", "is_locked", "is_hidden", "last_post_at"]
    list_filter = ["is_pinned", "is_locked", "is_hidden", "board"]
    search_fields = ["title"]
    raw_id_fields = ["author", "first_post", "result_post", "result_marked_by"]
    readonly_fields = ["post_count", "last_post_id", "last_post_at"]


class PostEditInline(admin.TabularInline):
    model = PostEdit
    extra = 0
    can_delete = False
    readonly_fields = ["editor", "edited_at", "old_body", "new_body"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    """Read-mostly: posts change through the forum's services so history and counters stay right."""

    list_display = ["__str__", "thread", "author", "created_at", "is_hidden", "is_deleted"]
    list_filter = ["is_hidden", "is_deleted"]
    search_fields = ["body"]
    raw_id_fields = ["thread", "parent", "author", "hidden_by", "deleted_by"]
    readonly_fields = ["body", "body_html", "depth", "root_id", "number", "helpful_count", "edit_count"]
    exclude = ["mentioned_users"]
    inlines = [PostEditInline]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "state", "reporter", "created_at", "handled_by", "handled_at"]
    list_filter = ["state", "reason"]
    raw_id_fields = ["post", "reporter", "handled_by"]
    readonly_fields = ["post", "reporter", "reason", "details", "created_at"]
