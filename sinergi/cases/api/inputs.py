"""Input pieces shared by several endpoints: the triage checklist and a person."""

from rest_framework import serializers

from sinergi.core.api_support import (
    optional_choice,
    optional_text,
)

from .. import services
from .. import taxonomy as t

# The triage checklist: one boolean per question of taxonomy.TRIAGE_QUESTIONS (missing = false).
TriageInputSerializer = type(
    "TriageInputSerializer",
    (serializers.Serializer,),
    {
        "__doc__": "The triage checklist: each question answered true or false (missing = false).",
        "__module__": __name__,
        "Meta": type("Meta", (), {"ref_name": "TriageAnswers"}),
        **{
            key: serializers.BooleanField(required=False, default=False, help_text=str(label))
            for key, label, _weight in t.TRIAGE_QUESTIONS
        },
    },
)


class PersonInputSerializer(serializers.Serializer):
    """A victim, alleged perpetrator or reporter. Identity fields are stored encrypted."""

    full_name = optional_text(200)
    nik = optional_text(32, help_text="16 digits (separators are ignored).")
    birth_date = serializers.DateField(required=False, allow_null=True, default=None)
    address = optional_text(500)
    phone = optional_text(40)
    school_name = optional_text(200)
    guardian_name = optional_text(200)
    guardian_phone = optional_text(40)
    sex = optional_choice(t.Sex.choices)
    age = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=120, help_text="Age at the incident."
    )
    has_disability = serializers.BooleanField(required=False, default=False)
    disabilities = serializers.ListField(
        child=serializers.ChoiceField(t.Disability.choices), required=False, default=list
    )
    education = optional_choice(t.Education.choices)
    district = optional_text(20, help_text="Kecamatan code of this regency/city.")
    village = optional_text(20, help_text="Desa/kelurahan code inside that kecamatan.")
    relation_to_victim = optional_choice(t.Relation.choices, help_text="Perpetrators only.")
    perpetrator_status = optional_choice(t.PerpetratorStatus.choices, help_text="Perpetrators only.")

    class Meta:
        ref_name = "PersonInput"


def _person_input(data: dict, *, role: str) -> services.PersonInput:
    return services.PersonInput(
        role=role,
        full_name=data["full_name"],
        nik=data["nik"],
        birth_date=data["birth_date"],
        address=data["address"],
        phone=data["phone"],
        school_name=data["school_name"],
        guardian_name=data["guardian_name"],
        guardian_phone=data["guardian_phone"],
        sex=data["sex"],
        age=data["age"],
        has_disability=data["has_disability"],
        disabilities=list(data["disabilities"]),
        education=data["education"],
        district_code=data["district"],
        village_code=data["village"],
        relation_to_victim=data["relation_to_victim"],
        perpetrator_status=data["perpetrator_status"],
    )
