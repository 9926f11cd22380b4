from django import template

from forums.rendering import PostRenderer, board_list

register = template.Library()


@register.simple_tag(takes_context=True)
def forum_post(context, post, *, can_reply=None, opening=False, reply_to=None, show_reply_to=False):
    """``{% forum_post post %}``: one post of the page's ``thread`` (forums/rendering.py)."""
    if can_reply is None:
        can_reply = bool(context.get("can_reply"))
    return _renderer(context, can_reply).render(post, opening=opening, reply_to=reply_to, show_reply_to=show_reply_to)


def _renderer(context, can_reply: bool) -> PostRenderer:
    """The page's renderer, made once per page and reused for every post."""
    thread = context["thread"]
    key = ("forum_post_renderer", thread.pk, can_reply)
    renderer = context.render_context.get(key)
    if renderer is None:
        renderer = context.render_context[key] = PostRenderer(context["request"], thread, can_reply=can_reply)
    return renderer


@register.simple_tag
def forum_boards(boards):
    """``{% forum_boards boards %}``: a group of boards with their counts (forums/rendering.py)."""
    return board_list(boards)
