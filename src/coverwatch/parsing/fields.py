"""The ACORD 25 (2016/03) form fields: each field's name and what it holds.

The blank fillable forms come with two name styles, `Form_CompletionDate_A` (plain AcroForm) and
`F[0].P1[0].Form_CompletionDate_A[0]` (the XFA hybrid); `field_key` reduces both to the first.
Each field is placed in a section (the certificate's header or one row of the coverage grid) and
given a role that the assembler understands. The 2016/03 names keep some pre-2016 wording
(`Vehicle_AllOwnedAutosIndicator_A` is the box labelled OWNED AUTOS ONLY).
"""

from __future__ import annotations

import re
from typing import Literal

Section = Literal[
    "certificate", "general_liability", "auto_liability", "excess_umbrella", "workers_comp", "other"
]
ROW_SECTIONS: tuple[Section, ...] = (
    "general_liability",
    "auto_liability",
    "excess_umbrella",
    "workers_comp",
    "other",
)

FIELDS: dict[str, tuple[Section, str]] = {
    "Form_CompletionDate_A": ("certificate", "date"),
    "Producer_ContactPerson_FullName_A": ("certificate", "producer_contact"),
    "Producer_FullName_A": ("certificate", "producer_name"),
    "Producer_ContactPerson_PhoneNumber_A": ("certificate", "producer_phone"),
    "Producer_FaxNumber_A": ("certificate", "producer_fax"),
    "Producer_MailingAddress_LineOne_A": ("certificate", "producer_line1"),
    "Producer_ContactPerson_EmailAddress_A": ("certificate", "producer_email"),
    "Producer_MailingAddress_LineTwo_A": ("certificate", "producer_line2"),
    "Producer_MailingAddress_CityName_A": ("certificate", "producer_city"),
    "Producer_MailingAddress_StateOrProvinceCode_A": ("certificate", "producer_state"),
    "Producer_MailingAddress_PostalCode_A": ("certificate", "producer_zip"),
    "Insurer_FullName_A": ("certificate", "insurer_name_A"),
    "Insurer_NAICCode_A": ("certificate", "insurer_naic_A"),
    "Insurer_FullName_B": ("certificate", "insurer_name_B"),
    "Insurer_NAICCode_B": ("certificate", "insurer_naic_B"),
    "NamedInsured_FullName_A": ("certificate", "insured_name"),
    "Insurer_FullName_C": ("certificate", "insurer_name_C"),
    "Insurer_NAICCode_C": ("certificate", "insurer_naic_C"),
    "NamedInsured_MailingAddress_LineOne_A": ("certificate", "insured_line1"),
    "Insurer_FullName_D": ("certificate", "insurer_name_D"),
    "Insurer_NAICCode_D": ("certificate", "insurer_naic_D"),
    "NamedInsured_MailingAddress_LineTwo_A": ("certificate", "insured_line2"),
    "Insurer_FullName_E": ("certificate", "insurer_name_E"),
    "Insurer_NAICCode_E": ("certificate", "insurer_naic_E"),
    "NamedInsured_MailingAddress_CityName_A": ("certificate", "insured_city"),
    "NamedInsured_MailingAddress_StateOrProvinceCode_A": ("certificate", "insured_state"),
    "NamedInsured_MailingAddress_PostalCode_A": ("certificate", "insured_zip"),
    "Insurer_FullName_F": ("certificate", "insurer_name_F"),
    "Insurer_NAICCode_F": ("certificate", "insurer_naic_F"),
    "CertificateOfInsurance_CertificateNumberIdentifier_A": ("certificate", "certificate_number"),
    "CertificateOfInsurance_RevisionNumberIdentifier_A": ("certificate", "revision_number"),
    "GeneralLiability_CoverageIndicator_A": ("general_liability", "covered"),
    "GeneralLiability_EachOccurrence_LimitAmount_A": ("general_liability", "each_occurrence"),
    "GeneralLiability_ClaimsMadeIndicator_A": ("general_liability", "claims_made"),
    "GeneralLiability_OccurrenceIndicator_A": ("general_liability", "occurrence"),
    "GeneralLiability_FireDamageRentedPremises_EachOccurrenceLimitAmount_A": (
        "general_liability",
        "damage_to_rented_premises",
    ),
    "GeneralLiability_OtherCoverageIndicator_A": ("general_liability", "other_coverage_a"),
    "GeneralLiability_OtherCoverageDescription_A": ("general_liability", "other_coverage_a_text"),
    "GeneralLiability_MedicalExpense_EachPersonLimitAmount_A": (
        "general_liability",
        "medical_expense",
    ),
    "GeneralLiability_InsurerLetterCode_A": ("general_liability", "letter"),
    "GeneralLiability_OtherCoverageIndicator_B": ("general_liability", "other_coverage_b"),
    "GeneralLiability_OtherCoverageDescription_B": ("general_liability", "other_coverage_b_text"),
    "CertificateOfInsurance_GeneralLiability_AdditionalInsuredCode_A": (
        "general_liability",
        "addl",
    ),
    "Policy_GeneralLiability_SubrogationWaivedCode_A": ("general_liability", "subr"),
    "Policy_GeneralLiability_PolicyNumberIdentifier_A": ("general_liability", "number"),
    "Policy_GeneralLiability_EffectiveDate_A": ("general_liability", "effective"),
    "Policy_GeneralLiability_ExpirationDate_A": ("general_liability", "expiration"),
    "GeneralLiability_PersonalAndAdvertisingInjury_LimitAmount_A": (
        "general_liability",
        "personal_advertising_injury",
    ),
    "GeneralLiability_GeneralAggregate_LimitAmount_A": ("general_liability", "general_aggregate"),
    "GeneralLiability_GeneralAggregate_LimitAppliesPerPolicyIndicator_A": (
        "general_liability",
        "per_policy",
    ),
    "GeneralLiability_GeneralAggregate_LimitAppliesPerProjectIndicator_A": (
        "general_liability",
        "per_project",
    ),
    "GeneralLiability_GeneralAggregate_LimitAppliesPerLocationIndicator_A": (
        "general_liability",
        "per_location",
    ),
    "GeneralLiability_ProductsAndCompletedOperations_AggregateLimitAmount_A": (
        "general_liability",
        "products_completed_operations_aggregate",
    ),
    "GeneralLiability_GeneralAggregate_LimitAppliesToOtherIndicator_A": (
        "general_liability",
        "per_other",
    ),
    "GeneralLiability_GeneralAggregate_LimitAppliesToCode_A": (
        "general_liability",
        "per_other_text",
    ),
    "GeneralLiability_OtherCoverageLimitDescription_A": ("general_liability", "extra_limit_label"),
    "GeneralLiability_OtherCoverageLimitAmount_A": ("general_liability", "extra_limit_amount"),
    "Vehicle_CombinedSingleLimit_EachAccidentAmount_A": ("auto_liability", "combined_single_limit"),
    "Vehicle_AnyAutoIndicator_A": ("auto_liability", "any"),
    "Vehicle_BodilyInjury_PerPersonLimitAmount_A": ("auto_liability", "bodily_injury_per_person"),
    "Vehicle_InsurerLetterCode_A": ("auto_liability", "letter"),
    "Vehicle_AllOwnedAutosIndicator_A": ("auto_liability", "owned"),
    "Vehicle_ScheduledAutosIndicator_A": ("auto_liability", "scheduled"),
    "CertificateOfInsurance_AutomobileLiability_AdditionalInsuredCode_A": (
        "auto_liability",
        "addl",
    ),
    "Policy_AutomobileLiability_SubrogationWaivedCode_A": ("auto_liability", "subr"),
    "Policy_AutomobileLiability_PolicyNumberIdentifier_A": ("auto_liability", "number"),
    "Policy_AutomobileLiability_EffectiveDate_A": ("auto_liability", "effective"),
    "Policy_AutomobileLiability_ExpirationDate_A": ("auto_liability", "expiration"),
    "Vehicle_BodilyInjury_PerAccidentLimitAmount_A": (
        "auto_liability",
        "bodily_injury_per_accident",
    ),
    "Vehicle_HiredAutosIndicator_A": ("auto_liability", "hired"),
    "Vehicle_NonOwnedAutosIndicator_A": ("auto_liability", "non_owned"),
    "Vehicle_PropertyDamage_PerAccidentLimitAmount_A": ("auto_liability", "property_damage"),
    "Vehicle_OtherCoveredAutoIndicator_A": ("auto_liability", "other_auto_a"),
    "Vehicle_OtherCoveredAutoDescription_A": ("auto_liability", "other_auto_a_text"),
    "Vehicle_OtherCoveredAutoIndicator_B": ("auto_liability", "other_auto_b"),
    "Vehicle_OtherCoveredAutoDescription_B": ("auto_liability", "other_auto_b_text"),
    "Vehicle_OtherCoverage_CoverageDescription_A": ("auto_liability", "extra_limit_label"),
    "Vehicle_OtherCoverage_LimitAmount_A": ("auto_liability", "extra_limit_amount"),
    "Policy_PolicyType_UmbrellaIndicator_A": ("excess_umbrella", "umbrella"),
    "ExcessUmbrella_OccurrenceIndicator_A": ("excess_umbrella", "occurrence"),
    "ExcessUmbrella_Umbrella_EachOccurrenceAmount_A": ("excess_umbrella", "each_occurrence"),
    "ExcessUmbrella_InsurerLetterCode_A": ("excess_umbrella", "letter"),
    "Policy_PolicyType_ExcessIndicator_A": ("excess_umbrella", "excess"),
    "ExcessUmbrella_ClaimsMadeIndicator_A": ("excess_umbrella", "claims_made"),
    "CertificateOfInsurance_ExcessLiability_AdditionalInsuredCode_A": ("excess_umbrella", "addl"),
    "Policy_ExcessLiability_SubrogationWaivedCode_A": ("excess_umbrella", "subr"),
    "Policy_ExcessLiability_PolicyNumberIdentifier_A": ("excess_umbrella", "number"),
    "Policy_ExcessLiability_EffectiveDate_A": ("excess_umbrella", "effective"),
    "Policy_ExcessLiability_ExpirationDate_A": ("excess_umbrella", "expiration"),
    "ExcessUmbrella_Umbrella_AggregateAmount_A": ("excess_umbrella", "aggregate"),
    "ExcessUmbrella_DeductibleIndicator_A": ("excess_umbrella", "deductible"),
    "ExcessUmbrella_RetentionIndicator_A": ("excess_umbrella", "retention_box"),
    "ExcessUmbrella_Umbrella_DeductibleOrRetentionAmount_A": (
        "excess_umbrella",
        "retention_amount",
    ),
    "ExcessUmbrella_OtherCoverageDescription_A": ("excess_umbrella", "extra_limit_label"),
    "ExcessUmbrella_OtherCoverageLimitAmount_A": ("excess_umbrella", "extra_limit_amount"),
    "WorkersCompensationEmployersLiability_WorkersCompensationStatutoryLimitIndicator_A": (
        "workers_comp",
        "statutory",
    ),
    "WorkersCompensationEmployersLiability_OtherCoverageIndicator_A": ("workers_comp", "other_box"),
    "WorkersCompensationEmployersLiability_OtherCoverageDescription_A": (
        "workers_comp",
        "other_text",
    ),
    "WorkersCompensationEmployersLiability_EmployersLiability_EachAccidentLimitAmount_A": (
        "workers_comp",
        "el_each_accident",
    ),
    "WorkersCompensationEmployersLiability_InsurerLetterCode_A": ("workers_comp", "letter"),
    "WorkersCompensationEmployersLiability_AnyPersonsExcludedIndicator_A": (
        "workers_comp",
        "excluded",
    ),
    "Policy_WorkersCompensation_SubrogationWaivedCode_A": ("workers_comp", "subr"),
    "Policy_WorkersCompensationAndEmployersLiability_PolicyNumberIdentifier_A": (
        "workers_comp",
        "number",
    ),
    "Policy_WorkersCompensationAndEmployersLiability_EffectiveDate_A": (
        "workers_comp",
        "effective",
    ),
    "Policy_WorkersCompensationAndEmployersLiability_ExpirationDate_A": (
        "workers_comp",
        "expiration",
    ),
    "WorkersCompensationEmployersLiability_EmployersLiability_DiseaseEachEmployeeLimitAmount_A": (
        "workers_comp",
        "el_disease_each_employee",
    ),
    "WorkersCompensationEmployersLiability_EmployersLiability_DiseasePolicyLimitAmount_A": (
        "workers_comp",
        "el_disease_policy_limit",
    ),
    "OtherPolicy_CoverageCode_A": ("other", "limit_label_a"),
    "OtherPolicy_CoverageLimitAmount_A": ("other", "limit_amount_a"),
    "OtherPolicy_OtherPolicyDescription_A": ("other", "description"),
    "OtherPolicy_InsurerLetterCode_A": ("other", "letter"),
    "CertificateOfInsurance_OtherPolicy_AdditionalInsuredCode_A": ("other", "addl"),
    "OtherPolicy_SubrogationWaivedCode_A": ("other", "subr"),
    "OtherPolicy_PolicyNumberIdentifier_A": ("other", "number"),
    "OtherPolicy_PolicyEffectiveDate_A": ("other", "effective"),
    "OtherPolicy_PolicyExpirationDate_A": ("other", "expiration"),
    "OtherPolicy_CoverageCode_B": ("other", "limit_label_b"),
    "OtherPolicy_CoverageLimitAmount_B": ("other", "limit_amount_b"),
    "OtherPolicy_CoverageCode_C": ("other", "limit_label_c"),
    "OtherPolicy_CoverageLimitAmount_C": ("other", "limit_amount_c"),
    "CertificateOfLiabilityInsurance_ACORDForm_RemarkText_A": ("certificate", "description"),
    "CertificateHolder_FullName_A": ("certificate", "holder_name"),
    "CertificateHolder_MailingAddress_LineOne_A": ("certificate", "holder_line1"),
    "CertificateHolder_MailingAddress_LineTwo_A": ("certificate", "holder_line2"),
    "Producer_AuthorizedRepresentative_Signature_A": ("certificate", "signature"),
    "CertificateHolder_MailingAddress_CityName_A": ("certificate", "holder_city"),
    "CertificateHolder_MailingAddress_StateOrProvinceCode_A": ("certificate", "holder_state"),
    "CertificateHolder_MailingAddress_PostalCode_A": ("certificate", "holder_zip"),
    "Form_EditionIdentifier_A": ("certificate", "edition"),
}

# Roles that are checkboxes (on-value `/1`); all other fields are text. ADDL INSD, SUBR WVD and
# the WC "excluded" box are one-letter TEXT fields (Y/N), not checkboxes.
CHECKBOX_ROLES = frozenset(
    {
        "any",
        "claims_made",
        "covered",
        "deductible",
        "excess",
        "hired",
        "non_owned",
        "occurrence",
        "other_auto_a",
        "other_auto_b",
        "other_box",
        "other_coverage_a",
        "other_coverage_b",
        "owned",
        "per_location",
        "per_other",
        "per_policy",
        "per_project",
        "retention_box",
        "scheduled",
        "statutory",
        "umbrella",
    }
)

_QUALIFIED = re.compile(r"^(?:F\[\d+\]\.)?(?:P\d+\[\d+\]\.)?(?P<name>[A-Za-z_]+?)(?:\[\d+\])?$")


def field_key(name: str) -> str:
    """`F[0].P1[0].Form_CompletionDate_A[0]` and `Form_CompletionDate_A` alike as the latter."""
    match = _QUALIFIED.match(name.rsplit(".", 1)[-1] if "." in name else name)
    return match.group("name") if match else name
