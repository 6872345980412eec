"""The national instrument is edited by a deployment operator here (staff only); tenants never edit it."""

from django.contrib import admin

from .models import Band, Cluster, EvaluationYear, Indicator, SubItem


class SubItemInline(admin.TabularInline):
    model = SubItem
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("year", "code", "title_id", "points", "is_points_verified", "is_special_protection")
    list_filter = ("year", "cluster__code", "is_points_verified")
    list_editable = ("points", "is_points_verified")
    inlines = [SubItemInline]


class BandInline(admin.TabularInline):
    model = Band
    extra = 0


class ClusterInline(admin.TabularInline):
    model = Cluster
    extra = 0


@admin.register(EvaluationYear)
class EvaluationYearAdmin(admin.ModelAdmin):
    list_display = ("year", "source_version", "loaded_at")
    inlines = [ClusterInline, BandInline]
