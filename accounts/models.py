from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models, router
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pages import read_ahead
from pages.shared_reads import instance_copy
from pages.sql import RowByPk


class Kommune(models.Model):
    """A Gebietskörperschaft of Thuringia, or one of the other places members come from."""

    class Kind(models.TextChoices):
        LANDKREIS = "landkreis", _("District (Landkreis)")
        KREISFREIE_STADT = "kreisfreie_stadt", _("District-free city")
        LAND = "land", _("Federal state (ministries)")
        INSTITUT = "institut", _("Institute")
        TRAEGER = "traeger", _("Welfare organisation (Träger)")
        ANDERE = "andere", _("Other organisation")

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # Amtlicher Gemeindeschlüssel; only the Landkreise and kreisfreie Städte have one.
    ags = models.CharField(_("official municipal key (AGS)"), max_length=8, unique=True, null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("Kommune")
        verbose_name_plural = _("Kommunen")

    def __str__(self):
        return self.name

    @property
    def is_gebietskoerperschaft(self):
        return self.kind in (self.Kind.LANDKREIS, self.Kind.KREISFREIE_STADT)


class Topic(models.Model):
    """A Thema used to tag documents, threads, dates and members' interests."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get(self, *args, **kwargs):
        """``get(pk=…)``, the lookup that loads the signed-in member on every request, from the
        process's copy of the row (``_user_by_pk``) or a statement compiled once per connection
        (``pages.sql.RowByPk``); any other as usual."""
        pk = kwargs.get("pk")
        if (
            args
            or len(kwargs) != 1
            or not isinstance(pk, int | str)
            or self.model is not User
            or self._db
            or self._hints
        ):
            return super().get(*args, **kwargs)
        return _user_by_pk(pk, using=router.db_for_read(self.model))

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("status", User.Status.ACTIVE)
        return self._create_user(email, password, **extra_fields)

    def members(self):
        """Approved, active accounts: the people other members may see."""
        return self.filter(is_active=True, status=User.Status.ACTIVE)


class User(AbstractUser):
    """A person with a login. Signs in by email; a new sign-up is pending until approved."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting approval")
        ACTIVE = "active", _("approved")
        REJECTED = "rejected", _("rejected")

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=120)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("status changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["display_name"]
        indexes = [
            models.Index(fields=["status", "is_active"]),
            # The member directory's order, only over those it lists: its first page reads 25
            # index entries instead of sorting every member (3.7 → 0.1 ms at 2,000 members).
            models.Index(
                fields=["display_name", "id"],
                condition=models.Q(is_active=True, status="active"),
                name="accounts_user_directory",
            ),
        ]
        constraints = [models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique")]

    def __str__(self):
        return self.display_name or self.email

    def get_full_name(self):
        return self.display_name

    def get_short_name(self):
        return self.display_name

    @property
    def is_member(self):
        """Approved and active, or staff: may see member content."""
        return self.is_active and (self.status == self.Status.ACTIVE or self.is_staff)

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING and not self.is_staff


def user_scope(user_id) -> str:
    """The scope of a user's row (``pages.shared_reads``): every save and delete changes it."""
    return f"user:{user_id}"


_users_by_pk = RowByPk(User)
# The rows of signed-in members the process has loaded, about 1 KB each.
_kept_users = read_ahead.KeptPerMember(user_scope, size=2_000)


def _user_by_pk(pk, using):
    """The user's row. For the signed-in member, a copy of the row the process loaded under
    the generation of ``user_scope`` read ahead for the request (``pages.read_ahead``): a save
    or delete of the row changes it, and the row is loaded again."""
    try:
        user_id = int(pk)
    except ValueError:
        return _users_by_pk.get(pk, using=using)
    user = _kept_users.get(user_id, key=using)
    if user is None:
        user = _users_by_pk.get(pk, using=using)
        _kept_users.put(user_id, user, key=using)
    return instance_copy(user)


class Profile(models.Model):
    class Function(models.TextChoices):
        SOZIALPLANUNG = "sozialplanung", _("Social planning")
        JUGENDHILFEPLANUNG = "jugendhilfeplanung", _("Youth welfare planning")
        ALTENHILFEPLANUNG = "altenhilfeplanung", _("Planning for older people")
        INTEGRIERTE_SOZIALPLANUNG = "integrierte_sozialplanung", _("Integrated social planning")
        PRAEVENTION = "praevention", _("Coordination of prevention chains / poverty prevention")
        INTEGRATIONSMANAGEMENT = "integrationsmanagement", _("Integration management")
        PROGRAMMTEAM = "programmteam", _("Programme team / process support")
        LEITUNG = "leitung", _("Administration / management")
        MINISTERIUM = "ministerium", _("Ministry")
        TRAEGER = "traeger", _("Welfare organisation")
        WISSENSCHAFT = "wissenschaft", _("Research")
        ANDERE = "andere", _("Other")

    BIO_MAX_LENGTH = 1000

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    kommune = models.ForeignKey(
        Kommune, verbose_name=_("Kommune"), on_delete=models.PROTECT, related_name="profiles", null=True
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    function = models.CharField(_("function"), max_length=30, choices=Function.choices, blank=True)
    topics = models.ManyToManyField(Topic, verbose_name=_("topics of interest"), blank=True, related_name="profiles")
    bio = models.TextField(_("short biography"), max_length=BIO_MAX_LENGTH, blank=True)
    show_email = models.BooleanField(_("show my email address to other members"), default=False)
    # When the member was last warned that their inactive account will be deactivated.
    inactivity_warned_at = models.DateTimeField(_("warned about inactivity"), null=True, blank=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return str(self.user)


class Invitation(models.Model):
    """Staff invite a person by email; the link lets them sign up without approval."""

    email = models.EmailField(_("email address"))
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return self.email

    @property
    def is_usable(self):
        return self.accepted_at is None and self.expires_at > timezone.now()


class DataExport(models.Model):
    """A member's self-service data export (Art. 15/20 DSGVO): a ZIP under MEDIA_ROOT/exports/
    that only this member may download, with the secret token, until it expires."""

    class Status(models.TextChoices):
        PENDING = "pending", _("being prepared")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports")
    token = models.CharField(max_length=64, unique=True)
    file_name = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")

    def __str__(self):
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_available(self):
        return self.status == self.Status.READY and self.expires_at > timezone.now()
