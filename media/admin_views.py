"""Photo admin pages beyond the model admin's own: reading a file's credits before saving,
and the second step of a bulk upload, where each photo gets its own words."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from core.refusals import role_refusal

from .forms import PhotoDescriptionFormSet, RasterImageField, metadata_for_form
from .models import Photo
from .renditions import generate_renditions

# Room for the multipart envelope (boundaries, headers, the CSRF field) around the file.
MULTIPART_ALLOWANCE = 64 * 1024


def read_metadata_view(model_admin):
    """POST one file; get back the credits it carries as JSON. Nothing is saved or kept.

    The photo form's script calls this as soon as a file is chosen, so the credit and
    caption appear before saving. The request's size is judged from its Content-Length
    before the body is read (Django reads no more than that), which is why CSRF is
    checked inside, after it: the CSRF check itself would read the whole body.
    """

    @csrf_protect
    def read(request):
        upload = request.FILES.get("image")
        if upload is None:
            return JsonResponse({"error": "Choose a photo file to read its credits."}, status=400)
        try:
            RasterImageField().clean(upload)
        except ValidationError as error:
            return JsonResponse({"error": " ".join(error.messages)}, status=400)
        finally:
            # The upload never outlives the request: a temporary file is deleted on close.
            upload.close()
        return JsonResponse({"values": metadata_for_form(upload)})

    @csrf_exempt
    def view(request):
        if request.method != "POST":
            return JsonResponse({"error": "Send the file with POST."}, status=405)
        if not (
            model_admin.has_add_permission(request) or model_admin.has_change_permission(request)
        ):
            return JsonResponse({"error": "You may not upload photos."}, status=403)
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        limit = settings.PHOTO_MAX_UPLOAD_BYTES
        if declared > limit + MULTIPART_ALLOWANCE:
            return JsonResponse(
                {
                    "error": f"The file is larger than {filesizeformat(limit)}, the most a "
                    "photo may be. Choose a smaller file."
                },
                status=413,
            )
        return read(request)

    return view


# Bulk upload, step two -----------------------------------------------------------------


def describe_url(photos):
    ids = ",".join(str(photo.pk) for photo in photos)
    return f"{reverse('admin:media_photo_bulk_describe')}?photos={ids}"


def describable_photos(request, raw_ids):
    """The photos named in `raw_ids` that this user uploaded and nothing shows yet.

    The step is for a fresh upload: a photo some story or profile already uses is changed
    on its own page, where the photo-use policy decides who may (media/usage.py). Judged
    in the query, so the page costs the same queries for one photo or twenty.
    """
    ids = [int(part) for part in raw_ids.split(",") if part.strip().isdigit()]
    ids = ids[: settings.PHOTO_BULK_MAX_FILES]
    return (
        Photo.objects.filter(pk__in=ids, uploaded_by=request.user)
        .exclude(pk__in=Photo.objects.in_use().values("pk"))
        .order_by("pk")
    )


def bulk_describe_view(model_admin, request):
    """Each photo of a bulk upload with its own alt text, caption and credit, saved together."""
    if not model_admin.has_change_permission(request):
        raise PermissionDenied(role_refusal(request.user, model_admin.opts, "change"))
    queryset = describable_photos(request, request.GET.get("photos", ""))
    formset = PhotoDescriptionFormSet(request.POST or None, queryset=queryset, prefix="photos")
    if request.method == "POST" and formset.is_valid():
        with transaction.atomic():
            photos = formset.save()
        # The credit is written into the renditions; unchanged photos keep theirs.
        for photo in photos:
            generate_renditions(photo)
        missing = sum(1 for form in formset.forms if not form.instance.alt_text.strip())
        message = f"Saved the descriptions of {len(formset.forms)} photos."
        if missing:
            message += f" {missing} still need alt text before a story can use them."
        messages.success(request, message)
        return redirect("admin:media_photo_changelist")
    if request.method == "GET" and not formset.forms:
        messages.info(request, "There are no photos of yours to describe here.")
        return redirect("admin:media_photo_changelist")
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": "Describe each photo",
        "formset": formset,
        "media": model_admin.media + formset.media,
    }
    return TemplateResponse(request, "admin/media/photo/bulk_describe.html", context)
