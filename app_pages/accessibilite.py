"""Déclaration d'accessibilité: the RGAA compliance status of the dashboard, stated honestly."""

import streamlit as st

st.title("Déclaration d'accessibilité")
st.caption("Observatoire des quartiers · établie le 23 novembre 2026")
st.markdown("""
L'Observatoire des quartiers s'engage à rendre son tableau de bord accessible, conformément à l'article 47 de la
loi n° 2005-102 du 11 février 2005. Cette déclaration porte sur le tableau de bord (pages Carte, Comparer,
Fiche quartier, Sources et définitions, Présentation, Données) et sur les exports PDF et tableurs.

## État de conformité

Le tableau de bord est **partiellement conforme** au référentiel général d'amélioration de l'accessibilité
(RGAA 4.1). Aucun audit complet du RGAA n'a encore été réalisé par un organisme indépendant : l'état ci-dessous
vient des contrôles automatisés du projet et de vérifications manuelles.

## Ce qui est vérifié

- Un contrôle automatique (axe-core, dans un vrai navigateur) passe sur chaque page à chaque version du code :
  aucune anomalie « critique » ou « grave » n'est tolérée.
- Chaque carte et chaque graphique a une alternative textuelle : son titre et sa source écrits au-dessus, et un
  tableau des mêmes chiffres, téléchargeable en CSV et en XLSX.
- La frise de la feuille de route (Suivi des actions) est écrite en texte, pas dessinée : un lecteur d'écran la
  lit thématique par thématique, chaque action avec son année et son statut ; sur un téléphone, elle devient
  une liste par thématique, l'année écrite devant chaque action.
- La bande de tous les quartiers (Comparer) est écrite en texte elle aussi : un lecteur d'écran y lit la valeur
  de chaque quartier choisi, l'étendue des autres quartiers et la valeur de l'agglomération.
- Les titres de chaque page se suivent sans sauter de niveau : la liste des titres d'un lecteur d'écran donne le
  plan de la page.
- Le sens d'un écart n'est jamais porté par la seule couleur : un symbole (▲ au-dessus, ▼ au-dessous de
  l'agglomération) et un mot (favorable, défavorable, proche, descriptif) l'accompagnent ; les couleurs restent
  distinguables avec les daltonismes les plus courants.
- Le panneau de gauche et la présentation se parcourent au clavier : Tab pour passer d'un contrôle à l'autre ;
  dans la présentation, → , Page suivante ou Espace pour avancer, ← ou Page précédente pour revenir.
- Les textes de l'interface sont en français ; une valeur absente est écrite « non renseigné », jamais 0.

## Non-conformités connues

- La carte (dessinée d'abord en image, puis interactive dès qu'on s'en sert) ne se parcourt pas quartier par
  quartier au clavier ni au lecteur d'écran : le tableau sous la carte et la page Fiche quartier donnent les
  mêmes informations. Ses boutons de zoom et d'export se parcourent au clavier.
- Les infobulles des graphiques n'apparaissent qu'au survol de la souris ; leur contenu figure dans les tableaux.
- Certains composants fournis par Streamlit gardent des libellés en anglais que le projet ne peut pas régler :
  boutons « Fullscreen », « Search » et « Show/hide columns » des grilles de données, message « No results »
  d'une liste filtrée sans résultat. Les listes déroulantes et les grilles n'ont pas été auditées au lecteur
  d'écran.
- Les PDF (fiche quartier, présentation) ne sont pas balisés pour les technologies d'assistance : leur contenu
  est repris dans les pages et les téléchargements en tableur.

## Retour d'information et contact

Si vous ne pouvez pas accéder à un contenu ou à un service, signalez-le au service politique de la ville de
l'agglomération qui publie ce tableau de bord : il vous orientera vers une alternative accessible (chiffres en
tableur, fiche imprimée, présentation lue).

## Voies de recours

Si vous avez signalé un défaut d'accessibilité sans obtenir de réponse satisfaisante, vous pouvez saisir le
Défenseur des droits (formulaire en ligne sur defenseurdesdroits.fr, ou courrier gratuit sans affranchissement :
Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07).
""")
