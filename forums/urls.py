from django.urls import path

from forums import views

app_name = "forums"

urlpatterns = [
    path("", views.board_list, name="boards"),
    path("boards/<int:pk>/", views.board_detail, name="board"),
    path("boards/<int:pk>/new/", views.thread_create, name="thread_create"),
    path("boards/<int:pk>/read/", views.board_mark_read, name="board_mark_read"),
    path("boards/<int:pk>/watch/", views.board_watch, name="board_watch"),
    path("boards/<int:pk>/mentions/", views.board_mentions, name="board_mentions"),
    path("threads/<int:pk>/", views.thread_detail, name="thread"),
    path("threads/<int:pk>/unread/", views.thread_first_unread, name="thread_unread"),
    path("threads/<int:pk>/reply/", views.thread_reply, name="reply"),
    path("threads/<int:pk>/draft/", views.draft_save, name="draft"),
    path("threads/<int:pk>/mentions/", views.thread_mentions, name="thread_mentions"),
    path("threads/<int:pk>/watch/", views.thread_watch, name="thread_watch"),
    path("threads/<int:pk>/result/", views.thread_result, name="thread_result"),
    path("threads/<int:pk>/moderate/", views.thread_moderate, name="thread_moderate"),
    path("threads/<int:pk>/move/", views.thread_move, name="thread_move"),
    path("threads/<int:pk>/merge/", views.thread_merge, name="thread_merge"),
    path("posts/<int:pk>/", views.post_permalink, name="post"),
    path("posts/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("posts/<int:pk>/history/", views.post_history, name="post_history"),
    path("posts/<int:pk>/delete/", views.post_delete, name="post_delete"),
    path("posts/<int:pk>/hide/", views.post_hide, name="post_hide"),
    path("posts/<int:pk>/split/", views.post_split, name="post_split"),
    path("posts/<int:pk>/helpful/", views.post_react, name="post_react"),
    path("posts/<int:pk>/report/", views.post_report, name="post_report"),
    path("preview/", views.preview, name="preview"),
    path("reports/", views.report_queue, name="reports"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
]
