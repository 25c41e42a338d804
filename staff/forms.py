from django import forms


class CodeForm(forms.Form):
    token = forms.RegexField(
        label="Code",
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": "Enter the 6 digits your authenticator app shows."},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "maxlength": 8,
            }
        ),
    )

    def refuse(self, throttled):
        self.add_error(
            "token",
            "Too many wrong codes; wait a few seconds, then enter the newest code."
            if throttled
            else "That code is not valid. Enter the newest code your authenticator app shows.",
        )
