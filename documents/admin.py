from django.contrib import admin

from documents.models import Document, DocumentVersion


class DocumentVersionInline(admin.TabularInline):
    model = DocumentVersion
    extra = 0
    can_delete = False
    fields = ("number", "original_filename", "file_type", "size", "uploaded_by", "created_at", "extraction_status")
    readonly_fields = fields
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("title", "workspace", "kind", "year", "uploaded_by", "created_at", "download_count", "deleted_at")
    list_filter = ("kind", "workspace", "deleted_at")
    search_fields = ("title", "description")
    list_select_related = ("workspace", "uploaded_by")
    raw_id_fields = ("uploaded_by", "deleted_by", "current_version")
    filter_horizontal = ("topics", "kommunen")
    readonly_fields = ("download_count", "created_at", "updated_at")
    inlines = [DocumentVersionInline]
